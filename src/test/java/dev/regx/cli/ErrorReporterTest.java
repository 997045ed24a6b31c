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
}
