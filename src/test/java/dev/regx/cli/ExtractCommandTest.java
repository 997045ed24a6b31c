package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regx.testing.Compression;
import dev.regx.testing.LayerBuilder;
import dev.regx.testing.PushedImage;
import dev.regx.testing.RegistryPusher;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.SharedRegistry;
import dev.regx.testing.TestImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code regx extract} against the real registry of the suite: ordinary, merged and hostile layers. */
@RequiresRegistry
class ExtractCommandTest {
    private static final FileTime MTIME = FileTime.from(LayerBuilder.DEFAULT_MTIME);
    private static SharedRegistry shared;
    /** Layer 0 gzip, 1 zstd (deletes, hides, replaces), 2 uncompressed. */
    private static PushedImage image;

    @TempDir
    Path home;

    @TempDir
    Path work;

    @BeforeAll
    static void push() {
        shared = SharedRegistry.get();
        LayerBuilder base = new LayerBuilder()
                .dir("etc/", 0750)
                .file("etc/os-release", "NAME=base\n")
                .file("usr/bin/tool", "#!/bin/sh\n", 0755)
                .file("usr/bin/su-like", "setuid", 04755)
                .hardlink("usr/bin/tool-hard", "usr/bin/tool")
                .symlink("usr/bin/sh", "/bin/busybox")
                .file("var/cache/old", "deleted above")
                .file("opt/app/lower", "hidden above")
                .file("usr/lib/replaced", "lower")
                .charDevice("dev/null", 1, 3)
                .fifo("run/fifo")
                .file("new\nline\u001b[31m", "hostile name");
        LayerBuilder upper = new LayerBuilder()
                .whiteout("var/cache/old")
                .file("opt/app/upper", "kept")
                .opaque("opt/app")
                .file("usr/lib/replaced", "upper");
        LayerBuilder top = new LayerBuilder().file("srv/top", "top");
        image = new RegistryPusher(shared.registry())
                .push(
                        "files/extract",
                        "latest",
                        TestImage.oci()
                                .layer(base.build(Compression.GZIP), "base")
                                .layer(upper.build(Compression.ZSTD), "upper")
                                .layer(top.build(Compression.NONE), "top")
                                .build());
    }

    private CommandRun regx(String... args) {
        return CommandRun.run(home, args);
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    private static int mode(Path p) throws IOException {
        return (Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
    }

    private static boolean isRoot() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    /** The scratch directories extract makes beside DIR: none may be left. */
    private List<Path> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(work)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).toList();
        }
    }

    private PushedImage pushLayer(String repository, LayerBuilder layer) {
        return new RegistryPusher(shared.registry())
                .push(
                        repository,
                        "latest",
                        TestImage.oci()
                                .layer(layer.build(Compression.GZIP), "x")
                                .build());
    }

    @Test
    void writesOneLayerWithModesTimesLinksAndPrintsTheDirectory() throws Exception {
        Path dir = work.resolve("out");
        CommandRun run = regx("extract", image.reference(), "0", "-C", dir.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(dir + "\n");
        assertThat(read(dir.resolve("etc/os-release"))).isEqualTo("NAME=base\n");
        assertThat(mode(dir.resolve("etc"))).isEqualTo(0750);
        assertThat(mode(dir.resolve("usr/bin/tool"))).isEqualTo(0755);
        assertThat(Files.getLastModifiedTime(dir.resolve("usr/bin/tool"))).isEqualTo(MTIME);
        assertThat(Files.getLastModifiedTime(dir.resolve("etc"))).isEqualTo(MTIME);
        assertThat(Files.readSymbolicLink(dir.resolve("usr/bin/sh"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(Files.isSameFile(dir.resolve("usr/bin/tool-hard"), dir.resolve("usr/bin/tool")))
                .isTrue();
        assertThat(read(dir.resolve("new\nline\u001b[31m"))).isEqualTo("hostile name");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void setuidBitsAreDroppedUnlessPreservePermissions() throws Exception {
        Path plain = work.resolve("plain");
        assertThat(regx("extract", image.reference(), "0", "-C", plain.toString())
                        .exitCode())
                .isZero();
        assertThat(mode(plain.resolve("usr/bin/su-like"))).isEqualTo(0755);

        Path kept = work.resolve("kept");
        assertThat(regx("extract", "--preserve-permissions", image.reference(), "0", "-C", kept.toString())
                        .exitCode())
                .isZero();
        assertThat(mode(kept.resolve("usr/bin/su-like"))).isEqualTo(04755);
    }

    @Test
    void devicesAndFifosAreSkippedWithOneWarningEachUnlessRootAsksForThem() throws Exception {
        Path dir = work.resolve("dev");
        CommandRun run = regx("extract", image.reference(), "0", "-C", dir.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.exists(dir.resolve("dev/null"), LinkOption.NOFOLLOW_LINKS))
                .isFalse();
        assertThat(Files.exists(dir.resolve("run/fifo"), LinkOption.NOFOLLOW_LINKS))
                .isFalse();
        assertThat(run.errLines())
                .filteredOn(l -> l.startsWith("regx: warning: skipped "))
                .hasSize(2);

        assumeTrue(isRoot(), "creating devices needs root");
        Path withDevices = work.resolve("with-devices");
        CommandRun asRoot = regx("extract", "--devices", image.reference(), "0", "-C", withDevices.toString());
        assertThat(asRoot.exitCode()).as(asRoot.toString()).isZero();
        assertThat(Files.getAttribute(withDevices.resolve("dev/null"), "unix:rdev", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo((1L << 8) | 3L);
        assertThat(Files.readAttributes(
                                withDevices.resolve("run/fifo"),
                                java.nio.file.attribute.BasicFileAttributes.class,
                                LinkOption.NOFOLLOW_LINKS)
                        .isOther())
                .isTrue();
    }

    @Test
    void ownersAreKeptOnlyAsRootWithSameOwner() throws Exception {
        assumeTrue(isRoot(), "changing owners needs root");
        PushedImage owned = pushLayer(
                "files/owned", new LayerBuilder().owner(1234, 2345, "", "").file("f", "x"));
        Path plain = work.resolve("plain");
        assertThat(regx("extract", owned.reference(), "0", "-C", plain.toString())
                        .exitCode())
                .isZero();
        assertThat(Files.getAttribute(plain.resolve("f"), "unix:uid")).isEqualTo(0);

        Path same = work.resolve("same");
        assertThat(regx("extract", "--same-owner", owned.reference(), "0", "-C", same.toString())
                        .exitCode())
                .isZero();
        assertThat(Files.getAttribute(same.resolve("f"), "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(same.resolve("f"), "unix:gid")).isEqualTo(2345);
    }

    @Test
    void theMergedViewIsTheImagesRootFileSystemWithWhiteoutsApplied() throws Exception {
        Path dir = work.resolve("merged");
        CommandRun run = regx("extract", image.reference(), "-C", dir.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(read(dir.resolve("usr/lib/replaced"))).isEqualTo("upper");
        assertThat(dir.resolve("var/cache/old")).doesNotExist();
        assertThat(dir.resolve("var/cache/.wh.old")).doesNotExist();
        assertThat(dir.resolve("opt/app/lower")).doesNotExist();
        // The opaque marker comes after its own layer's file in the tar: that file stays.
        assertThat(read(dir.resolve("opt/app/upper"))).isEqualTo("kept");
        assertThat(dir.resolve("opt/app/.wh..wh..opq")).doesNotExist();
        assertThat(read(dir.resolve("srv/top"))).isEqualTo("top");
        assertThat(read(dir.resolve("etc/os-release"))).isEqualTo("NAME=base\n");
    }

    @Test
    void inOneLayerWhiteoutsAreSkippedAndCountedOrKeptAsEmptyFiles() throws Exception {
        Path skipped = work.resolve("skipped");
        CommandRun run = regx("extract", image.reference(), "1", "-C", skipped.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(skipped.resolve("var/cache/.wh.old")).doesNotExist();
        assertThat(run.err()).contains("2 whiteout files not written (--whiteouts=keep writes them)");

        Path kept = work.resolve("kept");
        assertThat(regx("extract", "--whiteouts=keep", image.reference(), "1", "-C", kept.toString())
                        .exitCode())
                .isZero();
        assertThat(kept.resolve("var/cache/.wh.old")).isEmptyFile();
        assertThat(kept.resolve("opt/app/.wh..wh..opq")).isEmptyFile();
    }

    @Test
    void pathsLimitWhatIsWrittenAndOneThatMatchesNothingLeavesNoDirectory() throws Exception {
        Path dir = work.resolve("some");
        CommandRun run = regx("extract", image.reference(), "0", "/etc", "usr/bin/tool", "-C", dir.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(dir.resolve("etc/os-release")).exists();
        assertThat(dir.resolve("usr/bin/tool")).exists();
        assertThat(dir.resolve("usr/bin/sh")).doesNotExist();
        assertThat(dir.resolve("var")).doesNotExist();

        Path none = work.resolve("none");
        CommandRun missing = regx("extract", image.reference(), "nope/x", "-C", none.toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(missing.out()).isEmpty();
        assertThat(none).doesNotExist();
        assertThat(leftovers()).isEmpty();

        CommandRun deleted = regx("extract", image.reference(), "var/cache/old", "-C", none.toString());
        assertThat(deleted.exitCode()).as(deleted.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
    }

    @Test
    void anExistingDirectoryIsExit13UnlessForceWhichReplacesIt() throws Exception {
        Path dir = Files.createDirectory(work.resolve("there"));
        Files.writeString(dir.resolve("mine"), "mine");
        CommandRun run = regx("extract", image.reference(), "2", "-C", dir.toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.FILE_EXISTS.code());
        assertThat(read(dir.resolve("mine"))).isEqualTo("mine");

        CommandRun forced = regx("extract", "--force", image.reference(), "2", "-C", dir.toString());
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(dir.resolve("mine")).doesNotExist();
        assertThat(read(dir.resolve("srv/top"))).isEqualTo("top");
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void verboseListsEntriesOnStderrEscapedAndStdoutOnlyTheDirectory() {
        Path dir = work.resolve("v");
        CommandRun run = regx("extract", "-v", image.reference(), "0", "-C", dir.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(dir + "\n");
        assertThat(run.errLines()).contains("etc/", "etc/os-release", "usr/bin/sh -> /bin/busybox");
        assertThat(run.err()).doesNotContain("\u001b").contains("new\\nline\\033[31m");
    }

    @Test
    void theDefaultDirectoryIsTheSaveNameWithoutItsExtension() throws Exception {
        ProcessRun layer = ProcessRun.run(work, home, null, "extract", image.reference(), "2");
        assertThat(layer.exitCode()).as(layer.err()).isZero();
        assertThat(new String(layer.out(), StandardCharsets.UTF_8)).isEqualTo("files-extract-latest-2\n");
        assertThat(work.resolve("files-extract-latest-2/srv/top")).exists();

        ProcessRun merged = ProcessRun.run(work, home, null, "extract", image.reference());
        assertThat(merged.exitCode()).as(merged.err()).isZero();
        assertThat(work.resolve("files-extract-latest/srv/top")).exists();
    }

    @Test
    void hostileEntriesAreRefusedOneWarningEachAndNothingLandsOutsideTheDirectory() throws Exception {
        Path outside = Files.createDirectory(work.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        PushedImage hostile = pushLayer(
                "files/hostile",
                new LayerBuilder()
                        .file("/absolute.txt", "absolute")
                        .file("../escape.txt", "escaped")
                        .file("a/../../escape2.txt", "escaped")
                        .symlink("link", outside.toString())
                        .file("link/pwned", "through the link")
                        .symlink("rel", "../../../../..")
                        .file("rel/pwned2", "through the link")
                        .hardlink("hard-out", "../outside/secret")
                        .hardlink("hard-abs", outside.resolve("secret").toString())
                        .hardlink("hard-through", "link/secret")
                        .symlink("loop-a", "loop-b")
                        .symlink("loop-b", "loop-a")
                        .file("ok.txt", "fine"));
        Path dir = work.resolve("h");

        CommandRun run = regx("extract", hostile.reference(), "0", "-C", dir.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.REFUSED_ENTRIES.code());
        assertThat(run.out()).isEqualTo(dir + "\n");
        assertThat(run.errLines())
                .filteredOn(l -> l.startsWith("regx: warning: refused "))
                .hasSize(7);
        assertThat(read(dir.resolve("absolute.txt"))).isEqualTo("absolute");
        assertThat(read(dir.resolve("ok.txt"))).isEqualTo("fine");
        assertThat(Files.isSymbolicLink(dir.resolve("loop-a"))).isTrue();
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("secret");
        }
        assertThat(work.resolve("escape.txt")).doesNotExist();
        assertThat(work.resolve("escape2.txt")).doesNotExist();
        assertThat(dir.resolve("hard-out")).doesNotExist();
        assertThat(read(outside.resolve("secret"))).isEqualTo("secret");
    }

    @Test
    void aBlobWithOtherBytesThanItsDigestIsExit9AndLeavesNoDirectory() throws Exception {
        byte[] filler = new byte[300_000];
        new Random(1).nextBytes(filler);
        byte[] promised = new LayerBuilder()
                .file("first.txt", "first")
                .file("filler.bin", filler)
                .build(Compression.GZIP)
                .bytes();
        byte[] served = promised.clone();
        served[4] ^= 1; // a sound gzip of the same tar under another digest
        try (WrongBlobRegistry wrong = WrongBlobRegistry.serving(promised, served)) {
            for (List<String> idx : List.of(List.of("0"), List.<String>of())) {
                Path dir = work.resolve("bad");
                List<String> args = new java.util.ArrayList<>(List.of("extract", wrong.reference()));
                args.addAll(idx);
                args.addAll(List.of("-C", dir.toString()));
                CommandRun run = regx(args.toArray(String[]::new));
                assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.DIGEST_MISMATCH.code());
                assertThat(run.out()).isEmpty();
                assertThat(dir).doesNotExist();
                assertThat(leftovers()).isEmpty();
            }
        }
    }

    @Test
    void anInterruptedRunLeavesNoDirectoryAndRemovesItsTemporaryOne() throws Exception {
        byte[] filler = new byte[200_000];
        new Random(2).nextBytes(filler);
        byte[] blob = new LayerBuilder()
                .file("first.txt", "first")
                .file("filler.bin", filler)
                .build(Compression.GZIP)
                .bytes();
        try (WrongBlobRegistry slow = WrongBlobRegistry.serving(blob, blob, 60_000)) {
            Path dir = work.resolve("interrupted");
            List<String> command = new java.util.ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    Main.class.getName(),
                    "extract",
                    slow.reference(),
                    "0",
                    "-C",
                    dir.toString()));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("DOCKER_CONFIG", home.toString());
            pb.redirectOutput(work.resolve("child.log").toFile());
            Process child = pb.start();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (leftovers().isEmpty() && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(leftovers())
                    .as("the sibling temporary directory while the blob streams")
                    .hasSize(1);

            new ProcessBuilder("kill", "-INT", Long.toString(child.pid()))
                    .start()
                    .waitFor();

            assertThat(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(ExitCode.INTERRUPTED.code());
            assertThat(dir).doesNotExist();
            assertThat(leftovers()).isEmpty();
        }
    }
}
