package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.testing.TempFiles;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The tours the launcher's archive builder runs ({@code -Dregx.cds.train=PARTS}): every command must still
 * succeed in them, or the archive silently stops covering that command's start-up path; and they leave nothing
 * behind.
 */
class TrainingTest {
    /**
     * help: --version and --help of the whole command line, and --help of layers, ls, save and help. layers:
     * layers and layers --json against the in-process registry. stream: ls twice and save. tls: one HTTPS
     * request.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {"help,layers,tls | 9", "stream,tls | 4", "help | 6", "layers | 2", "layers,tls | 3", "stream | 3"})
    void everyCommandOfATourSucceedsOfflineAndLeavesNoFiles(String tour, int commands) throws Exception {
        List<String> before = TempFiles.namesStartingWith("regx-training");

        List<Integer> codes = Training.run(tour);

        assertThat(codes).hasSize(commands).containsOnly(0);
        assertThat(TempFiles.namesStartingWith("regx-training")).isEqualTo(before);
    }

    @Test
    void everyPartWhenTheLauncherDoesNotSayWhich() {
        assertThat(Training.run("true")).hasSize(12).containsOnly(0);
    }

    @Test
    void theHttpsExchangeCompletesAHandshakeWithItsOwnCertificate() throws Exception {
        assertThat(Training.httpsExchange()).isZero();
    }
}
