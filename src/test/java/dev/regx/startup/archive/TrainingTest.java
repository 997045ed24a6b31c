package dev.regx.startup.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.cli.RegxCommand;
import dev.regx.testing.TempFiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tours the launcher's archive builder runs ({@code Training PARTS}): every command must still
 * succeed in them, or the archive silently stops covering that command's start-up path; and they leave nothing
 * behind.
 */
class TrainingTest {
    /**
     * help: --version and --help of the whole command line, and --help of every subcommand (help's own
     * included): counted from the command line, so a new command needs no change here. layers: layers,
     * layers --json and the other commands that read documents (Training.VIEWS) against the in-process registry.
     * stream: ls twice and save. tls: one HTTPS request.
     *
     * @param commands the commands of the tour's parts other than help and layers
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"help,layers,tls | 1", "stream,tls | 4", "help | 0", "layers | 0", "layers,tls | 1", "stream | 3"})
    void everyCommandOfATourSucceedsOfflineAndLeavesNoFiles(String tour, int commands) throws Exception {
        // This JVM's only: other suites running at the same time share the temporary directory.
        String ours = Training.SAVE_PREFIX + ProcessHandle.current().pid() + "-";
        List<String> before = TempFiles.namesStartingWith(ours);

        List<Integer> codes = Training.run(tour);

        assertThat(codes)
                .hasSize(commands
                        + (tour.contains("help") ? helpTour() : 0)
                        + (tour.contains("layers") ? 2 + Training.VIEWS.size() : 0))
                .containsOnly(0);
        assertThat(TempFiles.namesStartingWith(ours)).isEqualTo(before);
    }

    @Test
    void theWholeTour() {
        assertThat(Training.run("help,layers,stream,tls"))
                .hasSize(helpTour() + 2 + Training.VIEWS.size() + 4)
                .containsOnly(0);
    }

    /** --version, --help, and --help of each subcommand. */
    private static int helpTour() {
        return 2 + RegxCommand.commandLine().getSubcommands().size();
    }

    @Test
    void theHttpsExchangeCompletesAHandshakeWithItsOwnCertificate() throws Exception {
        assertThat(Training.httpsExchange()).isZero();
    }
}
