package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.AutoComplete;

/**
 * {@code completions/regx.bash} is generated from the command model; this fails when an option or command
 * changed without regenerating it. Regenerate with {@code mvn test -Dtest=CompletionScriptTest
 * -Dregx.updateCompletions=true}.
 */
class CompletionScriptTest {
    private static final Path SCRIPT = Path.of("completions", "regx.bash");

    @Test
    void bashCompletionScriptMatchesTheCommandModel() throws Exception {
        String generated = AutoComplete.bash("regx", RegxCommand.commandLine());
        if (Boolean.getBoolean("regx.updateCompletions")) {
            Files.writeString(SCRIPT, generated, StandardCharsets.UTF_8);
        }
        assertThat(SCRIPT)
                .as("completions/regx.bash is stale: regenerate it with "
                        + "mvn test -Dtest=CompletionScriptTest -Dregx.updateCompletions=true")
                .exists();
        assertThat(Files.readString(SCRIPT, StandardCharsets.UTF_8)).isEqualTo(generated);
    }

    @Test
    void completionScriptOffersEveryCommandAndItsOptions() throws Exception {
        String script = Files.readString(SCRIPT, StandardCharsets.UTF_8);
        assertThat(script)
                .contains(
                        "layers",
                        "ls",
                        "save",
                        "manifest",
                        "config",
                        "platforms",
                        "digest",
                        "--pretty",
                        "--index",
                        "--platform",
                        "--json",
                        "--progress",
                        "--sort");
    }
}
