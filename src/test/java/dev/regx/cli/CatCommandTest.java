package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.testing.Compression;
import dev.regx.testing.LayerBuilder;
import dev.regx.testing.PushedImage;
import dev.regx.testing.RegistryPusher;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.SharedRegistry;
import dev.regx.testing.TestImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code regx cat} against the real registry of the suite, on layers built for it. */
@RequiresRegistry
class CatCommandTest {
    private static final byte[] BINARY = randomBytes(70_000, 7);
    private static final String OS_RELEASE = "NAME=base\nVERSION=1";

    private static SharedRegistry shared;
    /** Layer 0 gzip: files and every kind of link; 1 zstd: replaces, deletes, hides; 2 uncompressed. */
    private static PushedImage image;

    @TempDir
    Path home;

    @BeforeAll
    static void push() {
        shared = SharedRegistry.get();
        LayerBuilder base = new LayerBuilder()
                .dir("etc/")
                .file("etc/os-release", OS_RELEASE)
                .file("etc/group", "root:x:0:\n")
                .file("usr/lib/libz.so", BINARY)
                .file("usr/lib/replaced", "lower")
                .file("var/cache/old", "deleted later")
                .file("opt/app/lower-only", "hidden by opaque")
                .file("bin/tool", "tool v1")
                .hardlink("bin/tool-hard", "bin/tool")
                .symlink("etc/alias", "os-release")
                .symlink("etc/absolute", "/etc/os-release")
                .symlink("etc/escape", "../../../../../etc/os-release")
                .symlink("lib", "usr/lib")
                .symlink("etc/loop-a", "loop-b")
                .symlink("etc/loop-b", "loop-a")
                .symlink("etc/dangling", "/nowhere/file")
                .symlink("etc/to-upper", "/srv/from-layer-2")
                .charDevice("dev/null", 1, 3)
                // A link that comes before its target in the tar: the first pass cannot know to keep it.
                .symlink("etc/early", "late")
                .file("etc/late", "late target")
                .file("new\nline\u001b[31m", "hostile name");
        for (int i = 0; i < 41; i++) {
            base.symlink("chain/" + i, String.valueOf(i + 1));
        }
        base.file("chain/41", "end of a chain too long");
        LayerBuilder upper = new LayerBuilder()
                .file("usr/lib/replaced", "upper")
                .whiteout("var/cache/old")
                .dir("opt/app/")
                .opaque("opt/app")
                .file("opt/app/upper-only", "kept");
        LayerBuilder top = new LayerBuilder().file("srv/from-layer-2", "from layer 2");
        TestImage built = TestImage.oci()
                .layer(base.build(Compression.GZIP), "base")
                .layer(upper.build(Compression.ZSTD), "upper")
                .layer(top.build(Compression.NONE), "top")
                .build();
        image = new RegistryPusher(shared.registry()).push("files/cat", "latest", built);
    }

    private CommandRun regx(String... args) {
        return CommandRun.run(home, args);
    }

    private static byte[] randomBytes(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** stdout as bytes, for binary contents; null when the command failed. */
    private byte[] bytesOf(Map<String, String> extraEnv, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> env = new HashMap<>(Map.of("DOCKER_CONFIG", home.toString(), "HOME", home.toString()));
        env.putAll(extraEnv);
        StringWriter err = new StringWriter();
        int code = RegxCommand.execute(env::get, out, new PrintWriter(err, true), args);
        assertThat(code).as(err.toString()).isZero();
        return out.toByteArray();
    }

    @Test
    void printsAFileOfOneLayerByteForByteWhateverThePathSpelling() {
        for (String path : List.of("usr/lib/libz.so", "/usr/lib/libz.so", "./usr/lib/libz.so")) {
            assertThat(bytesOf(Map.of(), "cat", image.reference(), "0", path)).isEqualTo(BINARY);
        }
        CommandRun text = regx("cat", image.reference(), "0", "etc/os-release");
        assertThat(text.out()).isEqualTo(OS_RELEASE); // no newline added
        assertThat(text.err()).isEmpty();
    }

    @Test
    void printsSeveralFilesInTheOrderGivenNotTheOrderOfTheTar() {
        CommandRun run = regx("cat", image.reference(), "0", "etc/group", "etc/os-release", "etc/group");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("root:x:0:\n" + OS_RELEASE + "root:x:0:\n");
    }

    @Test
    void theMergedViewTakesTheTopmostLayerAndHonoursWhiteoutsAndOpaqueDirectories() {
        assertThat(regx("cat", image.reference(), "usr/lib/replaced").out()).isEqualTo("upper");
        assertThat(regx("cat", image.reference(), "0", "usr/lib/replaced").out())
                .isEqualTo("lower");
        assertThat(regx("cat", image.reference(), "opt/app/upper-only").out()).isEqualTo("kept");
        assertThat(regx("cat", image.reference(), "srv/from-layer-2").out()).isEqualTo("from layer 2");

        CommandRun deleted = regx("cat", image.reference(), "var/cache/old");
        assertThat(deleted.exitCode()).as(deleted.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(deleted.out()).isEmpty();
        assertThat(deleted.errLines())
                .singleElement()
                .asString()
                .contains("var/cache/old: no such file or directory in the merged view", "regx ls ", " var/cache/");

        CommandRun hidden = regx("cat", image.reference(), "opt/app/lower-only");
        assertThat(hidden.exitCode()).as(hidden.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(regx("cat", image.reference(), "0", "opt/app/lower-only").out())
                .isEqualTo("hidden by opaque");
    }

    @Test
    void unverifiedWithoutIdxReadsFromTheTopLayerDownAndNoFurtherThanItMust() {
        CommandRun run =
                regx("cat", "--unverified", "--verbose", image.reference(), "srv/from-layer-2", "usr/lib/replaced");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("from layer 2" + "upper");
        assertThat(run.err())
                .contains("/blobs/" + image.image().layer(2).digest())
                .contains("/blobs/" + image.image().layer(1).digest())
                .as("layer 0 holds an older usr/lib/replaced; the one above hides it")
                .doesNotContain("/blobs/" + image.image().layer(0).digest());
    }

    @Test
    void unverifiedWithoutIdxGivesWhatTheVerifiedMergedViewGives() {
        for (String path : List.of(
                "usr/lib/replaced",
                "opt/app/upper-only",
                "etc/os-release",
                "srv/from-layer-2",
                "var/cache/old",
                "opt/app/lower-only",
                "usr/lib/replaced/below-a-file",
                "etc/alias",
                "etc/to-upper",
                "bin/tool-hard",
                "etc",
                "nowhere")) {
            CommandRun verified = regx("cat", image.reference(), "etc/group", path);
            CommandRun unverified = regx("cat", "--unverified", image.reference(), "etc/group", path);
            assertThat(unverified.exitCode()).as(path + ": " + unverified).isEqualTo(verified.exitCode());
            assertThat(unverified.errLines()).as(path).isEqualTo(verified.errLines());
            assertThat(unverified.out()).as(path).isEqualTo(verified.exitCode() == 0 ? verified.out() : "root:x:0:\n");
        }
    }

    @Test
    void readsZstdAndUncompressedLayersAlike() {
        assertThat(regx("cat", image.reference(), "1", "opt/app/upper-only").out())
                .isEqualTo("kept");
        assertThat(regx("cat", image.reference(), "2", "srv/from-layer-2").out())
                .isEqualTo("from layer 2");
    }

    @Test
    void followsSymbolicLinksInsideTheImageOnly() {
        for (String link : List.of("etc/alias", "etc/absolute", "etc/escape", "etc/early")) {
            CommandRun run = regx("cat", image.reference(), "0", link);
            assertThat(run.exitCode()).as(link + ": " + run).isZero();
            assertThat(run.out()).isEqualTo(link.equals("etc/early") ? "late target" : OS_RELEASE);
        }
        assertThat(bytesOf(Map.of(), "cat", image.reference(), "0", "lib/libz.so"))
                .isEqualTo(BINARY);
    }

    @Test
    void aHardLinkGivesItsTargetsContents() {
        CommandRun layer = regx("cat", image.reference(), "0", "bin/tool-hard");
        assertThat(layer.exitCode()).as(layer.toString()).isZero();
        assertThat(layer.out()).isEqualTo("tool v1");
        assertThat(regx("cat", image.reference(), "bin/tool-hard").out()).isEqualTo("tool v1");
    }

    @Test
    void aLinkLoopAndAChainOfMoreThan40LinksAreCleanFailures() {
        CommandRun loop = regx("cat", image.reference(), "0", "etc/loop-a");
        assertThat(loop.exitCode()).as(loop.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(loop.out()).isEmpty();
        assertThat(loop.errLines()).singleElement().asString().contains("too many levels of symbolic links");

        CommandRun chain = regx("cat", image.reference(), "0", "chain/0");
        assertThat(chain.exitCode()).as(chain.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        CommandRun forty = regx("cat", image.reference(), "0", "chain/1");
        assertThat(forty.exitCode()).as(forty.toString()).isZero();
        assertThat(forty.out()).isEqualTo("end of a chain too long");
    }

    @Test
    void withIdxALinkWhoseTargetIsNotInThatLayerIsExit3NamingLinkAndTarget() {
        CommandRun dangling = regx("cat", image.reference(), "0", "etc/dangling");
        assertThat(dangling.exitCode()).as(dangling.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(dangling.errLines())
                .singleElement()
                .asString()
                .contains("etc/dangling -> /nowhere/file", "not in layer 0");

        CommandRun acrossLayers = regx("cat", image.reference(), "0", "etc/to-upper");
        assertThat(acrossLayers.exitCode()).as(acrossLayers.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(acrossLayers.errLines()).singleElement().asString().contains("etc/to-upper -> /srv/from-layer-2");

        CommandRun merged = regx("cat", image.reference(), "etc/to-upper");
        assertThat(merged.exitCode()).as(merged.toString()).isZero();
        assertThat(merged.out()).isEqualTo("from layer 2");
    }

    @Test
    void noFollowPrintsNothingForALinkAndFails() {
        CommandRun run = regx("cat", "--no-follow", image.reference(), "0", "etc/os-release", "etc/alias");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines()).singleElement().asString().contains("etc/alias is a symbolic link to os-release");
    }

    @Test
    void aDirectoryIsAUsageErrorPointingToLsAndExtract() {
        for (String dir : List.of("etc", "usr", "/", "lib")) {
            CommandRun run = regx("cat", image.reference(), "0", dir);
            assertThat(run.exitCode()).as(dir + ": " + run).isEqualTo(ExitCode.USAGE.code());
            assertThat(run.errLines()).singleElement().asString().contains("is a directory", "regx ls", "regx extract");
        }
        CommandRun device = regx("cat", image.reference(), "0", "dev/null");
        assertThat(device.exitCode()).as(device.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(device.err()).contains("character device");
    }

    @Test
    void aMissingPathIsExit3NamingTheNearestExistingParent() {
        CommandRun run = regx("cat", image.reference(), "0", "usr/lib/nope/deeper/file");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("usr/lib/nope/deeper/file: no such file or directory in layer 0")
                .endsWith("regx ls " + image.reference() + " 0 usr/lib/");
    }

    @Test
    void aFailingPathPrintsNothingEvenWhenTheOthersExist() {
        CommandRun run = regx("cat", image.reference(), "0", "etc/os-release", "etc/nope");

        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void hostileNamesAreEscapedInMessagesAndPrintedWhenAskedFor() {
        CommandRun run = regx("cat", image.reference(), "0", "new\nline\u001b[31m");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("hostile name");

        CommandRun missing = regx("cat", image.reference(), "0", "new\nline\u001b[32m");
        assertThat(missing.errLines())
                .singleElement()
                .asString()
                .doesNotContain("\u001b")
                .contains("033[32m");
    }

    @Test
    void anIndexPastTheLastLayerIsExit3AndANegativeOneAUsageError() {
        assertThat(regx("cat", image.reference(), "3", "etc/os-release").exitCode())
                .isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(regx("cat", image.reference(), "-1", "etc/os-release").exitCode())
                .isEqualTo(ExitCode.USAGE.code());
        CommandRun noPath = regx("cat", image.reference(), "1");
        assertThat(noPath.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(noPath.err()).contains("missing PATH");
    }

    @Test
    void aClosedStdoutIsASilent141() {
        CommandRun run = CommandRun.run(
                home, FailingStdout.brokenPipeAfter(100), "cat", image.reference(), "0", "usr/lib/libz.so");

        assertThat(run.exitCode()).isEqualTo(ExitCode.OUTPUT_CLOSED.code());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void bigContentsWaitInAPrivateTemporaryFileThatIsRemovedAfterwards() throws Exception {
        Path tmp = Files.createDirectories(home.resolve("tmp"));
        byte[] big = randomBytes(20 << 20, 3); // over the 16 MiB held in memory
        PushedImage bigImage = new RegistryPusher(shared.registry())
                .push(
                        "files/big",
                        "latest",
                        TestImage.oci()
                                .layer(new LayerBuilder().file("big.bin", big).build(Compression.NONE), "big")
                                .build());
        assertThat(bytesOf(Map.of("TMPDIR", tmp.toString()), "cat", bigImage.reference(), "big.bin"))
                .isEqualTo(big);
        try (var left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aBlobWithOtherBytesThanItsDigestIsExit9WithNothingPrinted() throws Exception {
        byte[] promised = new LayerBuilder()
                .file("first.txt", "first")
                .file("filler.bin", randomBytes(300_000, 5))
                .build(Compression.GZIP)
                .bytes();
        byte[] served = promised.clone();
        served[4] ^= 1; // the gzip header's MTIME: a sound gzip of the same tar, with another digest
        try (WrongBlobRegistry wrong = WrongBlobRegistry.serving(promised, served)) {
            CommandRun run = regx("cat", wrong.reference(), "0", "first.txt");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.DIGEST_MISMATCH.code());
            assertThat(run.out()).isEmpty();

            CommandRun merged = regx("cat", wrong.reference(), "first.txt");
            assertThat(merged.exitCode()).as(merged.toString()).isEqualTo(ExitCode.DIGEST_MISMATCH.code());
            assertThat(merged.out()).isEmpty();

            // --unverified prints as the layer streams and stops reading it once every PATH is out: the
            // mismatch, in the bytes after first.txt, goes unseen. What the option gives up.
            CommandRun unverified = regx("cat", "--unverified", wrong.reference(), "0", "first.txt");
            assertThat(unverified.exitCode()).as(unverified.toString()).isZero();
            assertThat(unverified.out()).isEqualTo("first");
        }
    }

    @Test
    void aDigestMismatchRemovesTheTemporaryFileAndWritesNothing() throws Exception {
        Path tmp = Files.createDirectories(home.resolve("tmp"));
        byte[] promised = new LayerBuilder()
                .file("big.bin", randomBytes(17 << 20, 4)) // over the 16 MiB held in memory
                .build(Compression.NONE)
                .bytes();
        byte[] served = promised.clone();
        served[served.length / 2] ^= 1; // inside the file's contents: the tar still reads, the digest differs
        try (WrongBlobRegistry wrong = WrongBlobRegistry.serving(promised, served)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Map<String, String> env = new HashMap<>(
                    Map.of("DOCKER_CONFIG", home.toString(), "HOME", home.toString(), "TMPDIR", tmp.toString()));
            int code = RegxCommand.execute(
                    env::get, out, new PrintWriter(new StringWriter(), true), "cat", wrong.reference(), "0", "big.bin");

            assertThat(code).isEqualTo(ExitCode.DIGEST_MISMATCH.code());
            assertThat(out.size()).isZero();
            try (var left = Files.list(tmp)) {
                assertThat(left).isEmpty();
            }
        }
    }
}
