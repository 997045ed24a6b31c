package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Sparse files report their real size. commons-compress cannot write them, so GNU tar makes them, if present. */
class SparseEntryTest {
    private static final long REAL_SIZE = 10L * 1024 * 1024 + 5;

    @ParameterizedTest
    @ValueSource(strings = {"gnu", "posix"})
    void sparseFilesReportTheirRealSize(String format, @TempDir Path dir) throws Exception {
        Path holes = dir.resolve("holes");
        try (RandomAccessFile file = new RandomAccessFile(holes.toFile(), "rw")) {
            file.seek(REAL_SIZE - 5);
            file.write("data\n".getBytes());
        }
        Path archive = dir.resolve("sparse.tar");
        runTar(dir, "--sparse", "--format=" + format, "-cf", archive.toString(), "holes");
        assumeTrue(Files.size(archive) < REAL_SIZE, "the file system made no holes, so tar stored a plain file");

        List<LayerEntry> entries = new ArrayList<>();
        LayerReader.read(Files.newInputStream(archive), null, entries::add);

        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("holes");
            assertThat(e.type()).isEqualTo(EntryType.FILE);
            assertThat(e.size()).isEqualTo(REAL_SIZE);
        });
    }

    private static void runTar(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("tar"));
        command.addAll(List.of(args));
        Process tar;
        try {
            tar = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException notInstalled) {
            assumeTrue(false, "tar is not installed");
            return;
        }
        tar.getInputStream().readAllBytes();
        assumeTrue(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar could not make a sparse archive");
    }
}
