package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code --help} shows a newcomer: the exit codes once, examples in sight, no word split across lines (picocli
 * wraps with the JDK's line BreakIterator, which breaks after {@code .}, {@code :} and {@code -}: {@code ghcr.}
 * then {@code io/org/img}).
 */
class HelpTextTest {
    private static final List<String> COMMANDS =
            List.of("layers", "ls", "cat", "extract", "save", "manifest", "config", "platforms", "tags", "digest");

    @TempDir
    Path home;

    private String help(String... args) {
        CommandRun run = CommandRun.run(home, args);
        assertThat(run.exitCode()).as(run.toString()).isZero();
        return run.out();
    }

    @Test
    void onlyRegxHelpHasTheExitCodeTableAndCommandsPointThere() {
        assertThat(help("--help")).contains("Exit codes:", "  9   downloaded content does not match");
        for (String command : COMMANDS) {
            String help = help(command, "--help");
            assertThat(help)
                    .as(command)
                    .doesNotContain("downloaded content does not match")
                    .contains("Examples:")
                    .endsWith("Exit codes: see regx --help or man regx." + System.lineSeparator());
        }
    }

    @Test
    void noHelpLineEndsInsideAWord() {
        List<String> splits = new ArrayList<>();
        List<String> args = new ArrayList<>(COMMANDS);
        args.add(0, null);
        for (String command : args) {
            String[] help = command == null ? new String[] {"--help"} : new String[] {command, "--help"};
            String wrapped = help(help);
            String whole;
            System.setProperty("picocli.usage.width", "1000");
            try {
                whole = help(help);
            } finally {
                System.clearProperty("picocli.usage.width");
            }
            String[] lines = wrapped.split("\\R");
            for (int i = 0; i + 1 < lines.length; i++) {
                String[] before = lines[i].strip().split(" ");
                String[] after = lines[i + 1].strip().split(" ");
                String last = before[before.length - 1];
                String first = after[0];
                // Two lines that the unwrapped help has as one word were one word cut in two.
                if (!last.isEmpty()
                        && !first.isEmpty()
                        && whole.contains(last + first)
                        && !whole.contains(last + " " + first)) {
                    splits.add(lines[i] + " / " + lines[i + 1]);
                }
            }
        }
        assertThat(splits).isEmpty();
    }

    @Test
    void noHelpLineIsWiderThan80Columns() {
        for (String command : COMMANDS) {
            for (String line : help(command, "--help").split("\\R")) {
                assertThat(line.length()).as(command + ": " + line).isLessThanOrEqualTo(80);
            }
        }
    }
}
