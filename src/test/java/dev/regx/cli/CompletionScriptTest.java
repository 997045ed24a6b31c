package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.AutoComplete;

/**
 * {@code completions/regx.bash} is generated from the command model (picocli's {@link AutoComplete}, with what it
 * leaves out added by {@link #script()}); this fails when an option or command changed without regenerating it.
 * Regenerate with {@code mvn test -Dtest=CompletionScriptTest -Dregx.updateCompletions=true}. The completion
 * itself is tested by running the script's function in bash, as bash does on TAB.
 */
class CompletionScriptTest {
    private static final Path SCRIPT = Path.of("completions", "regx.bash");

    /** Options whose value is a file or directory on this machine: {@code compgen -f} or {@code -d}. */
    private static final List<String[]> PATH_OPTIONS =
            List.of(new String[] {"'-o'|'--output'", "-f"}, new String[] {"'-C'|'--directory'", "-d"}, new String[] {
                "'--ca-file'", "-f"
            });

    @TempDir
    Path dir;

    /**
     * picocli's script, and what it leaves out. Options that take a path offer files (picocli does so only for
     * options of type File or Path, which would drop the trailing {@code /} that makes {@code -o dir/} a
     * directory). And {@code --opt=VALUE}: bash splits the word at {@code =} (it is in COMP_WORDBREAKS), so the
     * word being completed is {@code =} or the one before it is, where picocli's functions look for the option.
     */
    static String script() {
        String script = AutoComplete.bash("regx", RegxCommand.commandLine());
        for (String[] option : PATH_OPTIONS) {
            script = script.replace(
                    "    " + option[0] + ")\n      return\n",
                    "    " + option[0] + ")\n"
                            + "      local IFS=$'\\n'\n"
                            + "      type compopt &>/dev/null && compopt -o filenames\n"
                            + "      COMPREPLY=( $( compgen " + option[1] + " -- \"${curr_word}\" ) )\n"
                            + "      return $?\n");
        }
        return script.replace(
                        "  local curr_word=${COMP_WORDS[COMP_CWORD]}\n",
                        "  local curr_word=${COMP_WORDS[COMP_CWORD]}\n"
                                + "  [[ \"${curr_word}\" == \"=\" ]] && curr_word=\"\" # --opt=<TAB>\n")
                .replace(
                        "  local prev_word=${COMP_WORDS[COMP_CWORD-1]}\n",
                        "  local prev_word=${COMP_WORDS[COMP_CWORD-1]}\n"
                                + "  [[ \"${prev_word}\" == \"=\" ]] && prev_word=${COMP_WORDS[COMP_CWORD-2]} # --opt=VALUE\n");
    }

    @Test
    void bashCompletionScriptMatchesTheCommandModel() throws Exception {
        String generated = script();
        if (Boolean.getBoolean("regx.updateCompletions")) {
            Files.writeString(SCRIPT, generated, StandardCharsets.UTF_8);
        }
        assertThat(SCRIPT)
                .as("completions/regx.bash is stale: regenerate it with "
                        + "mvn test -Dtest=CompletionScriptTest -Dregx.updateCompletions=true")
                .exists();
        assertThat(Files.readString(SCRIPT, StandardCharsets.UTF_8)).isEqualTo(generated);
        for (String[] option : PATH_OPTIONS) {
            assertThat(generated).as(option[0]).contains(option[0] + ")\n      local IFS");
        }
    }

    @Test
    void completesCommandsOptionsAndTheirValues() throws Exception {
        assertThat(complete("regx", "lay")).containsExactly("layers");
        assertThat(complete("regx", "ls", "--so")).containsExactly("--sort");
        assertThat(complete("regx", "ls", "--sort", "")).containsExactly("tar", "size", "name");
        assertThat(complete("regx", "save", "--progress", "a")).containsExactly("auto", "always");
        assertThat(complete("regx", "layers", "--platform", "linux/arm"))
                .containsExactly("linux/arm64", "linux/arm/v7", "linux/arm/v6");
    }

    @Test
    void completesTheValueOfAnOptionWrittenWithEquals() throws Exception {
        // bash hands "--sort=" over as the words "--sort" and "=", and "--sort=si" as "--sort", "=", "si".
        assertThat(complete("regx", "ls", "--sort", "=")).containsExactly("tar", "size", "name");
        assertThat(complete("regx", "ls", "--sort", "=", "si")).containsExactly("size");
        assertThat(complete("regx", "save", "--progress", "=", "n")).containsExactly("never");
    }

    @Test
    void completesFilesForOutputAndDirectoriesForExtract() throws Exception {
        Files.createDirectories(dir.resolve("layers-dir"));
        Files.writeString(dir.resolve("layer.tar"), "");

        assertThat(complete("regx", "save", "-o", "lay")).containsExactlyInAnyOrder("layers-dir", "layer.tar");
        assertThat(complete("regx", "save", "alpine", "0", "--output", "=", "layer."))
                .containsExactly("layer.tar");
        assertThat(complete("regx", "extract", "-C", "lay")).containsExactly("layers-dir");
    }

    /**
     * What bash offers for the last of {@code words} (the word being completed, possibly empty): the script's
     * function run in bash as completion runs it, {@code COMP_WORDS} and {@code COMP_CWORD} set, in {@link #dir}.
     */
    private List<String> complete(String... words) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is needed to run the completion script");
        StringBuilder array = new StringBuilder();
        for (String word : words) {
            array.append(" '").append(word.replace("'", "'\\''")).append('\'');
        }
        String driver = "source " + SCRIPT.toAbsolutePath() + "\n"
                + "COMP_WORDS=(" + array + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE=\"${COMP_WORDS[*]}\"\n"
                + "COMP_POINT=${#COMP_LINE}\n"
                + "_complete_regx regx \"${COMP_WORDS[COMP_CWORD]}\" \"${COMP_WORDS[COMP_CWORD-1]}\"\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process bash = new ProcessBuilder("/bin/bash", "--norc", "-c", driver)
                .directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> replies = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                replies.add(line.strip());
            }
        }
        return replies;
    }
}
