package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command line regx cannot run gets one line in regx's voice: lower case, what went wrong, what to do. */
class UsageMessagesTest {
    @TempDir
    Path home;

    private String usageError(String... args) {
        CommandRun run = CommandRun.run(home, args);
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).as(run.toString()).hasSize(1);
        return run.errLines()[0];
    }

    @Test
    void anUnknownCommandGetsTheNearestOne() {
        assertThat(usageError("layer", "alpine"))
                .isEqualTo("regx: unknown command 'layer'; did you mean 'layers'? (see 'regx --help')");
    }

    @Test
    void anUnknownOptionGetsTheNearestOne() {
        assertThat(usageError("ls", "--jsn", "alpine"))
                .isEqualTo("regx: unknown option '--jsn'; did you mean '--json'? (see 'regx ls --help')");
    }

    @Test
    void aMissingParameterOrOptionValueIsNamed() {
        assertThat(usageError("layers")).isEqualTo("regx: missing IMAGE (see 'regx layers --help')");
        assertThat(usageError("layers", "alpine", "--platform"))
                .isEqualTo("regx: --platform needs a value (OS/ARCH[/VARIANT]) (see 'regx layers --help')");
    }

    @Test
    void picocliMessagesStartInLowerCase() {
        assertThat(usageError("save", "--jobs", "many", "alpine", "0"))
                .startsWith("regx: invalid value for option '--jobs': ");
    }

    @Test
    void aReferenceWithAUrlSchemeSaysToDropIt() {
        assertThat(usageError("layers", "http://127.0.0.1:5000/img"))
                .contains("drop \"http://\": 127.0.0.1:5000/img", "--insecure")
                .doesNotContain("is not a number");
        assertThat(usageError("layers", "https://ghcr.io/org/img:1")).contains("drop \"https://\": ghcr.io/org/img:1");
    }
}
