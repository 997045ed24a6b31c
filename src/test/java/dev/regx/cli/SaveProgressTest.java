package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.testing.PushedImage;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.SharedRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code regx save} draws on a terminal (a pseudo-terminal): its progress bars and refusals. */
@RequiresRegistry
class SaveProgressTest {
    static final SharedRegistry shared = SharedRegistry.get();

    @TempDir
    Path dir;

    private Path home() throws Exception {
        return Files.createDirectories(dir.resolve("home"));
    }

    @Test
    void aSingleBarFitsANarrowTerminalWithItsNameShortenedAndShowsItsSpeedAtTheEnd() throws Exception {
        PushedImage composer = shared.fixtures().composer();

        TerminalRun run = TerminalRun.run(60, dir, home(), "save", composer.reference(), "1");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> bars = run.frames().stream().filter(f -> f.contains("▕")).toList();
        assertThat(bars).as(run.toString()).isNotEmpty();
        for (String bar : bars) {
            assertThat(bar.length())
                    .as(bar)
                    .isLessThan(60)
                    .isEqualTo(bars.get(0).length());
            // "smoshysmosh-composer-latest-1.tar.gzip" does not fit next to the bar: its middle gives way.
            assertThat(bar).as(bar).startsWith("smosh").contains("…").doesNotContain("?");
        }
        assertThat(bars.get(bars.size() - 1)).contains("100%").containsPattern("[0-9.]+[KM]iB/s");
        assertThat(run.screen()).as(run.toString()).endsWith("smoshysmosh-composer-latest-1.tar.gzip");
    }

    @Test
    void saveAllDrawsOneBarForAllLayersWithALinePerLayerAboveIt() throws Exception {
        PushedImage composer = shared.fixtures().composer();
        int layers = composer.image().layers().size();

        TerminalRun run = TerminalRun.run(100, dir, home(), "save", "--all", "-o", "out/", composer.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> screen = run.screen();
        assertThat(screen).as(run.toString()).doesNotContain("").noneMatch(line -> line.contains("\033"));
        assertThat(screen.stream().filter(line -> line.startsWith("regx: saved out/")))
                .as(run.toString())
                .hasSize(layers);
        assertThat(screen.stream().filter(line -> line.contains("▕")))
                .as(run.toString())
                .singleElement()
                .asString()
                .startsWith(layers + "/" + layers + " layers 100% ▕")
                .hasSizeLessThan(100);
        assertThat(screen.subList(screen.size() - layers, screen.size()))
                .as("stdout: the files")
                .allMatch(line -> line.startsWith("out/smoshysmosh-composer-latest-"));
        for (String frame : run.frames()) {
            assertThat(frame.split("▕", -1)).as("one bar per row: " + frame).hasSizeLessThanOrEqualTo(2);
        }
    }

    @Test
    void aLayerToStdoutOnATerminalIsRefused() throws Exception {
        PushedImage composer = shared.fixtures().composer();

        TerminalRun run = TerminalRun.run(80, dir, home(), "save", composer.reference(), "1", "-o", "-");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.screen())
                .as(run.toString())
                .containsExactly(
                        "regx: stdout is a terminal; pipe it (-o - | tar -tz) or use -o FILE to save the" + " layer");
    }
}
