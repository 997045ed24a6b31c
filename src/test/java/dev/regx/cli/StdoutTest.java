package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class StdoutTest {

    @Test
    void textThatWasWrittenLeavesNothingToReport() {
        ByteArrayOutputStream device = new ByteArrayOutputStream();
        Stdout stdout = new Stdout(device);
        stdout.text().println("ünïcode");

        stdout.text().flush();
        stdout.checkWritten();

        assertThat(device.toString(java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo("ünïcode" + System.lineSeparator());
    }

    @Test
    void aWriteFailureThePrintWriterSwallowedIsReportedWithItsReason() {
        Stdout stdout = new Stdout(FailingStdout.fullDiskAfter(0));
        stdout.text().println("data");
        stdout.checkWritten(); // still buffered: nothing has failed yet
        stdout.text().flush();

        assertThatThrownBy(stdout::checkWritten).isInstanceOfSatisfying(CommandFailure.class, f -> {
            assertThat(f.exitCode()).isEqualTo(ExitCode.LOCAL_IO);
            assertThat(f.getMessage())
                    .isEqualTo(
                            "cannot write to standard output: No space left on device; free some space or write elsewhere");
        });
    }

    @Test
    void aBrokenPipeIsTheSigpipeStatus() {
        Stdout stdout = new Stdout(FailingStdout.brokenPipeAfter(2));
        stdout.text().println("data");
        stdout.text().flush();

        assertThatThrownBy(stdout::checkWritten)
                .isInstanceOfSatisfying(
                        CommandFailure.class, f -> assertThat(f.exitCode()).isEqualTo(ExitCode.OUTPUT_CLOSED));
    }

    @Test
    void otherWriteFailuresSayWhatTheOsSaid() {
        CommandFailure closed = Stdout.failureOf(new IOException("Bad file descriptor"), null);
        CommandFailure io = Stdout.failureOf(new IOException("Input/output error"), null);

        assertThat(closed.exitCode()).isEqualTo(ExitCode.LOCAL_IO);
        assertThat(closed.getMessage())
                .isEqualTo("cannot write to standard output: Bad file descriptor; "
                        + "check that standard output is open and writable");
        assertThat(io.exitCode()).isEqualTo(ExitCode.LOCAL_IO);
        assertThat(io.getMessage()).startsWith("cannot write to standard output: Input/output error; ");
    }

    @Test
    void bytesAfterAFailedWriteDoNotReachTheDevice() throws IOException {
        FailingStdout device = FailingStdout.fullDiskAfter(3);
        java.io.OutputStream bytes = new Stdout(device).bytes();

        assertThatThrownBy(() -> bytes.write(new byte[10])).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> bytes.write(new byte[10])).hasMessage(FailingStdout.FULL_DISK);
        assertThatThrownBy(bytes::flush).hasMessage(FailingStdout.FULL_DISK);

        assertThat(device.callsAfterFailure).isZero();
    }
}
