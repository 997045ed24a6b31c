package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.UsageException;
import org.junit.jupiter.api.Test;

class ErrorReporterTest {
    @Test
    void aUsageExceptionIsTheUsersMistake() {
        assertThat(ErrorReporter.classify(new UsageException("--platform must be OS/ARCH")))
                .isEqualTo(ExitCode.USAGE);
    }

    @Test
    void anyOtherIllegalArgumentIsAnInternalErrorNotTheUsers() {
        assertThat(ErrorReporter.classify(new IllegalArgumentException("slip inside regx")))
                .isEqualTo(ExitCode.INTERNAL);
        assertThat(ErrorReporter.classify(new NumberFormatException("For input string: \"x\"")))
                .isEqualTo(ExitCode.INTERNAL);
    }

    @Test
    void serverTextInAFailureLineCannotDriveOrReorderTheTerminal() {
        String line =
                ErrorReporter.oneLine("manifest not found: \u001b]0;TITLE\u0007 \u001b[31mred\r\nnext \u202etxt.exe");

        assertThat(line).doesNotContain("\u001b", "\u0007", "\u202e", "\n", "\r");
        assertThat(line).contains("\\033]0;TITLE\\a", "\\342\\200\\256txt.exe");
    }
}
