package dev.regx.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How {@code regx save} sees what is at a target path, links followed. */
class TargetKindTest {
    @TempDir
    Path dir;

    @Test
    void nothingThereOrADanglingLinkIsAbsent() throws Exception {
        assertThat(TargetKind.of(dir.resolve("new.tar"))).isEqualTo(TargetKind.ABSENT);
        Path dangling = Files.createSymbolicLink(dir.resolve("dangling"), dir.resolve("nowhere"));
        assertThat(TargetKind.of(dangling)).isEqualTo(TargetKind.ABSENT);
    }

    @Test
    void aRegularFileOrALinkToOneIsAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("layer.tar"), "x");
        assertThat(TargetKind.of(file)).isEqualTo(TargetKind.FILE);
        assertThat(TargetKind.of(Files.createSymbolicLink(dir.resolve("link"), file)))
                .isEqualTo(TargetKind.FILE);
    }

    @Test
    void aDirectoryIsADirectory() {
        assertThat(TargetKind.of(dir)).isEqualTo(TargetKind.DIRECTORY);
    }

    @Test
    void characterDevicesAndLinksToThemAreStreams() throws Exception {
        assertThat(TargetKind.of(Path.of("/dev/null"))).isEqualTo(TargetKind.STREAM);
        assertThat(TargetKind.of(Path.of("/dev/full"))).isEqualTo(TargetKind.STREAM);
        assertThat(TargetKind.of(Files.createSymbolicLink(dir.resolve("null"), Path.of("/dev/null"))))
                .isEqualTo(TargetKind.STREAM);
    }

    @Test
    void aFifoIsAStream() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mkfifo =
                new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(mkfifo.exitValue()).isZero();
        assertThat(TargetKind.of(fifo)).isEqualTo(TargetKind.STREAM);
    }

    @Test
    void ourOwnOpenFilesAreStreamsWhateverTheyAreOpenOn() throws Exception {
        // Surefire's stdout may be a pipe or a file; /dev/stdout is a stream either way, never a file to replace.
        assertThat(TargetKind.of(Path.of("/dev/stdout"))).isEqualTo(TargetKind.STREAM);
        assertThat(TargetKind.of(Path.of("/dev/fd/2"))).isEqualTo(TargetKind.STREAM);
        assertThat(TargetKind.of(Path.of("/proc/self/fd/1"))).isEqualTo(TargetKind.STREAM);
        assertThat(TargetKind.of(Files.createSymbolicLink(dir.resolve("out"), Path.of("/dev/stdout"))))
                .isEqualTo(TargetKind.STREAM);
    }

    @Test
    void aSocketIsNeitherFileNorStream() throws Exception {
        Path socket = dir.resolve("socket");
        try (ServerSocketChannel server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            assertThat(TargetKind.of(socket)).isEqualTo(TargetKind.OTHER);
        }
    }

    @Test
    void anOpenPipeIsRecognisedByWhatLinuxShowsForItsDescriptor() throws Exception {
        Path self = Path.of("/proc/self/fd");
        assumeTrue(Files.isDirectory(self), "needs /proc");
        Process cat = new ProcessBuilder("cat").start();
        try {
            // The child's stdin is a pipe from us; /proc/PID/fd/0 of the child names it "pipe:[N]".
            Path childStdin = Path.of("/proc", Long.toString(cat.pid()), "fd", "0");
            assertThat(TargetKind.isPipeOrSocket(childStdin)).isTrue();
            assertThat(TargetKind.isPipeOrSocket(Files.writeString(dir.resolve("f"), "x")))
                    .isFalse();
        } finally {
            cat.destroy();
            cat.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
