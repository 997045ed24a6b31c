package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The tour the launcher's archive builder runs ({@code -Dregx.cds.train=true}): every command must still
 * succeed in it, or the archive silently stops covering that command's start-up path; and it leaves nothing
 * behind.
 */
class TrainingTest {
    @Test
    void everyCommandOfTheTourSucceedsOfflineAndLeavesNoFiles() throws Exception {
        List<String> before = trainingDirectories();

        List<Integer> codes = Training.run();

        // --version, --help, --help of layers, ls, save and help; then layers and ls twice each and save, against
        // the in-process registry.
        assertThat(codes).hasSize(11).containsOnly(0);
        assertThat(trainingDirectories()).isEqualTo(before);
    }

    private static List<String> trainingDirectories() throws Exception {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("regx-training")).sorted().toList();
        }
    }
}
