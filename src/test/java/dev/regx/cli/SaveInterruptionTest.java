package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.testing.Compression;
import dev.regx.testing.LayerBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during {@code regx save}: one line on stderr says what was kept and how to go on. */
class SaveInterruptionTest {
    @TempDir
    Path work;

    private static byte[] layer(String name, int fillerBytes, int seed) throws IOException {
        byte[] filler = new byte[fillerBytes];
        new Random(seed).nextBytes(filler);
        return new LayerBuilder().file(name, filler).build(Compression.GZIP).bytes();
    }

    @Test
    void ctrlCSaysHowMuchIsKeptInThePartFileAndHowToResume() throws Exception {
        try (SlowLayerRegistry registry = SlowLayerRegistry.serving(layer("big.bin", 3 << 20, 1))) {
            Path part = work.resolve(SlowLayerRegistry.fileName(0) + ".part");

            Interrupted run = interruptOnceExists(part, "save", registry.reference(), "0");

            assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.INTERRUPTED.code());
            assertThat(run.err.split("\n"))
                    .as(run.toString())
                    .singleElement()
                    .asString()
                    .matches("regx: interrupted; [0-9.]+ (KiB|MiB) kept in "
                            + java.util.regex.Pattern.quote(part.getFileName().toString())
                            + "; run the same command to resume");
            assertThat(run.out).isEmpty();
            assertThat(part).isRegularFile();
        }
    }

    @Test
    void ctrlCDuringSaveAllStillListsTheLayersSavedOnStdout() throws Exception {
        try (SlowLayerRegistry registry =
                SlowLayerRegistry.serving(layer("small.txt", 100, 2), layer("big.bin", 3 << 20, 3))) {
            Path part = work.resolve(SlowLayerRegistry.fileName(1) + ".part");

            Interrupted run = interruptOnceExists(part, "save", "--all", "--jobs", "1", registry.reference());

            assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.INTERRUPTED.code());
            assertThat(run.out).as(run.toString()).isEqualTo(SlowLayerRegistry.fileName(0) + "\n");
            assertThat(run.err)
                    .as(run.toString())
                    .startsWith("regx: saved " + SlowLayerRegistry.fileName(0))
                    .contains("\nregx: interrupted; ")
                    .contains(" kept in " + part.getFileName() + "; run the same command to resume");
        }
    }

    private record Interrupted(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** Runs regx in a child JVM in {@link #work}, and sends it SIGINT once {@code file} holds a byte. */
    private Interrupted interruptOnceExists(Path file, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        Path home = Files.createDirectories(work.resolve("home"));
        Path out = work.resolve("stdout.txt");
        Path err = work.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        pb.environment().put("DOCKER_CONFIG", home.toString());
        pb.environment().put("HOME", home.toString());
        Process child = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(file) && Files.size(file) > 0) && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(file).as(Files.readString(err)).exists();
            new ProcessBuilder("kill", "-INT", Long.toString(child.pid()))
                    .start()
                    .waitFor();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        return new Interrupted(
                child.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
