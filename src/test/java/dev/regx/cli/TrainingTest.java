package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tours the launcher's archive builder runs ({@code -Dregx.cds.train=short|stream}): every command must still
 * succeed in it, or the archive silently stops covering that command's start-up path; and it leaves nothing
 * behind.
 */
class TrainingTest {
    @Test
    void everyCommandOfTheShortTourSucceedsOfflineAndLeavesNoFiles() throws Exception {
        List<String> before = trainingDirectories();

        List<Integer> codes = Training.run(Training.SHORT);

        // --version, --help, --help of layers, ls, save and help; then layers twice against the in-process registry,
        // and one HTTPS request.
        assertThat(codes).hasSize(9).containsOnly(0);
        assertThat(trainingDirectories()).isEqualTo(before);
    }

    @Test
    void everyCommandOfTheStreamTourSucceedsOfflineAndLeavesNoFiles() throws Exception {
        List<String> before = trainingDirectories();

        List<Integer> codes = Training.run(Training.STREAM);

        // --version; then ls twice and save against the in-process registry, and one HTTPS request.
        assertThat(codes).hasSize(5).containsOnly(0);
        assertThat(trainingDirectories()).isEqualTo(before);
    }

    @Test
    void aPlainTourLeavesTlsOut() throws Exception {
        // --version, --help, --help of layers, ls, save and help; then layers twice: no HTTPS request.
        assertThat(Training.run(Training.SHORT + "-plain")).hasSize(8).containsOnly(0);
    }

    @Test
    void bothToursTogetherWhenTheLauncherDoesNotSayWhich() {
        assertThat(Training.run("true")).hasSize(12).containsOnly(0);
    }

    @Test
    void theHttpsExchangeCompletesAHandshakeWithItsOwnCertificate() throws Exception {
        assertThat(Training.httpsExchange()).isZero();
    }

    private static List<String> trainingDirectories() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("regx-training")).sorted().toList();
        }
    }
}
