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
                assertThat(failedBefore)
                        .as("refused entry %d before any write failed", i)
                        .isTrue();
                return refused;
            }
            assertThat(failedBefore)
                    .as("entry %d printed after a write had failed", i)
                    .isFalse();
            failedBefore = device.failed();
        }
        throw new AssertionError("100000 entries printed on a device that fails");
    }

    @Test
    void jsonLinesAreBufferedLikeTextOnesNotWrittenOneCallEach() throws Exception {
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream() {
            @Override
            public synchronized void write(byte[] b, int off, int len) {
                writes.incrementAndGet();
                super.write(b, off, len);
            }
        };
        Stdout stdout = new Stdout(bytes);
        EntryPrinter printer = new EntryPrinter(stdout, true, false);
        for (int i = 0; i < 200; i++) {
            printer.print(LayerEntry.of("usr/share/file-" + i, EntryType.FILE, 0644), 0, false);
        }
        stdout.text().flush();

        assertThat(bytes.toString(java.nio.charset.StandardCharsets.UTF_8).lines())
                .hasSize(200)
                .allSatisfy(line -> assertThat(line)
                        .startsWith("{\"path\":\"usr/share/file-")
                        .endsWith("}"));
        // The encoder hands its 8 KiB buffer on as it fills: a handful of writes, not one per line.
        assertThat(writes.get()).as("write calls for 200 lines").isLessThan(20);
    }

    @Test
    void theFirstEntryAfterAFullDiskStopsTheListingWithExit12() {
        CommandFailure failure = printUntilRefused(FailingStdout.fullDiskAfter(5000), false);

        assertThat(failure.exitCode()).isEqualTo(ExitCode.LOCAL_IO);
        assertThat(failure.getMessage())
                .isEqualTo(
                        "cannot write to standard output: No space left on device; free some space or write elsewhere");
    }

    @Test
    void theFirstEntryAfterTheReaderLeftStopsTheListingWithTheSigpipeStatus() {
        assertThat(printUntilRefused(FailingStdout.brokenPipeAfter(5000), false).exitCode())
                .isEqualTo(ExitCode.OUTPUT_CLOSED);
        assertThat(printUntilRefused(FailingStdout.brokenPipeAfter(5000), true).exitCode())
                .isEqualTo(ExitCode.OUTPUT_CLOSED);
    }
}
