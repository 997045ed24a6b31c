package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.regx.layer.EntryType;
import dev.regx.layer.LayerEntry;
import org.junit.jupiter.api.Test;

class EntryPrinterTest {

    /**
     * Prints entries until one is refused; returns the failure, after checking it came on the first entry
     * after the write that failed (so a listing stops reading its layer there, not at its end).
     */
    private static CommandFailure printUntilRefused(FailingStdout device, boolean json) {
        EntryPrinter printer = new EntryPrinter(new Stdout(device), json, false);
        boolean failedBefore = false;
        for (int i = 0; i < 100_000; i++) {
            LayerEntry entry = LayerEntry.of("usr/share/file-" + i, EntryType.FILE, 0644);
            CommandFailure refused = catchThrowableOfType(() -> printer.print(entry, 0, false), CommandFailure.class);
            if (refused != null) {
                assertThat(failedBefore).as("refused entry %d before any write failed", i).isTrue();
                return refused;
            }
            assertThat(failedBefore).as("entry %d printed after a write had failed", i).isFalse();
            failedBefore = device.failed();
        }
        throw new AssertionError("100000 entries printed on a device that fails");
    }

    @Test
    void theFirstEntryAfterAFullDiskStopsTheListingWithExit12() {
        CommandFailure failure = printUntilRefused(FailingStdout.fullDiskAfter(5000), false);

        assertThat(failure.exitCode()).isEqualTo(ExitCode.LOCAL_IO);
        assertThat(failure.getMessage())
                .isEqualTo("cannot write to standard output: No space left on device; free some space or write elsewhere");
    }

    @Test
    void theFirstEntryAfterTheReaderLeftStopsTheListingWithTheSigpipeStatus() {
        assertThat(printUntilRefused(FailingStdout.brokenPipeAfter(5000), false).exitCode()).isEqualTo(ExitCode.OUTPUT_CLOSED);
        assertThat(printUntilRefused(FailingStdout.brokenPipeAfter(5000), true).exitCode()).isEqualTo(ExitCode.OUTPUT_CLOSED);
    }
}
