package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegxCommandTest {
    @TempDir
    Path home;

    @Test
    void helpAndVersionThatCannotBeWrittenFailAsDataDoes() {
        CommandRun help = CommandRun.run(home, FailingStdout.fullDiskAfter(0), "ls", "--help");
        CommandRun version = CommandRun.run(home, FailingStdout.brokenPipeAfter(0), "--version");

        assertThat(help.exitCode()).as(help.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(help.err())
                .isEqualTo("regx: cannot write to standard output: No space left on device; "
                        + "free some space or write elsewhere\n");
        assertThat(version.exitCode()).as(version.toString()).isEqualTo(ExitCode.OUTPUT_CLOSED.code());
        assertThat(version.err()).isEmpty();
    }
}
