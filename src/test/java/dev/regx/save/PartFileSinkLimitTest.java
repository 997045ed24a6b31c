package dev.regx.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write the kernel refuses half way, for real: a child JVM writes through {@link PartFileSink} under a file
 * size limit ({@code prlimit --fsize}, i.e. {@code ulimit -f}), which cuts the write that crosses it short the
 * way a full quota does. With O_DIRECT such a cut is not block-aligned and comes back as "Invalid argument";
 * the user must hear the real reason, and the {@code .part} must keep every byte that made it.
 */
class PartFileSinkLimitTest {
    private static final int LIMIT = 1_500_000;
    private static final int SIZE = 3 * DirectIoWriter.CHUNK + 5;

    @TempDir
    Path dir;

    @Test
    void aWriteCutShortByAFileSizeLimitReportsTheSystemsReasonAndKeepsThePrefix() throws Exception {
        assumeTrue(new File("/usr/bin/prlimit").canExecute(), "prlimit (util-linux) is not installed");
        Path target = dir.resolve("layer.tar.gzip");
        Process p = new ProcessBuilder(List.of(
                        "/usr/bin/prlimit",
                        "--fsize=" + LIMIT,
                        "--",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Writer.class.getName(),
                        target.toString()))
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(output.strip()).isEqualTo("cannot write " + PartFileSink.partOf(target) + ": File too large");
        assertThat(p.exitValue()).isEqualTo(12);
        assertThat(target).doesNotExist();
        byte[] held = Files.readAllBytes(PartFileSink.partOf(target));
        assertThat(held).hasSize(LIMIT).isEqualTo(Arrays.copyOf(blob(), LIMIT));
    }

    private static byte[] blob() {
        byte[] bytes = new byte[SIZE];
        new Random(3).nextBytes(bytes);
        return bytes;
    }

    /** The child: writes the blob in 64 KiB pieces, commits, and prints the failure if there is one. */
    public static final class Writer {
        public static void main(String[] args) {
            byte[] bytes = blob();
            try (PartFileSink sink = new PartFileSink(Path.of(args[0]))) {
                for (int at = 0; at < bytes.length; at += 65536) {
                    sink.write(bytes, at, Math.min(65536, bytes.length - at));
                }
                sink.commit();
            } catch (LocalWriteException e) {
                System.out.println(e.getMessage());
                System.exit(12);
            }
        }
    }
}
