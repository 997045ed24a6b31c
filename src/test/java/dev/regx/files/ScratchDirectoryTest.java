package dev.regx.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScratchDirectoryTest {
    @TempDir
    Path parent;

    @Test
    void closeRemovesEverythingInIt() throws IOException {
        ScratchDirectory scratch = ScratchDirectory.create(parent, "regx-test-");
        Files.createDirectories(scratch.path().resolve("a/b"));
        Files.writeString(scratch.path().resolve("a/b/c"), "x");

        scratch.close();

        assertThat(parent).isEmptyDirectory();
    }

    @Test
    void theExitRemovalLeavesNothingWhileAnotherThreadKeepsWritingIntoIt() throws Exception {
        // Ctrl-C during extract: the shutdown hook removes the directory while the command's thread, still running,
        // makes directories and files in it as fast as it can.
        for (int round = 0; round < 20; round++) {
            ScratchDirectory scratch = ScratchDirectory.create(parent, "regx-test-");
            Path root = scratch.path();
            CountDownLatch writing = new CountDownLatch(1);
            AtomicInteger made = new AtomicInteger();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer = new Thread(() -> {
                for (int i = 0; !stop.get(); i++) {
                    try {
                        Path dir = Files.createDirectory(root.resolve("d" + i));
                        Files.writeString(dir.resolve("f"), "contents");
                        made.incrementAndGet();
                        writing.countDown();
                    } catch (IOException gone) {
                        writing.countDown();
                        return; // the directory is gone: as TreeWriter's next write fails
                    }
                }
            });
            writer.setDaemon(true);
            writer.start();
            writing.await();

            scratch.removeOnExit();
            writer.join(5_000);
            stop.set(true); // a writer the removal did not stop would otherwise fill the disk
            writer.join();

            assertThat(made.get()).isPositive();
            try (Stream<Path> left = Files.list(parent)) {
                assertThat(left).as("round " + round).isEmpty();
            }
        }
    }
}
