package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.regx.testing.BlobRedirectServer;
import dev.regx.testing.Compression;
import dev.regx.testing.Fixtures;
import dev.regx.testing.Layer;
import dev.regx.testing.LayerBuilder;
import dev.regx.testing.LocalRegistry;
import dev.regx.testing.PushedImage;
import dev.regx.testing.RegistryPusher;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.TestImage;
import dev.regx.testing.TokenServer;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regx save} against a real registry with token auth whose blobs redirect to a second server that,
 * like a CDN, rejects any request carrying {@code Authorization}.
 */
@RequiresRegistry
class SaveCommandTest {
    private static TokenServer tokens;
    private static LocalRegistry registry;
    private static Fixtures.Set fixtures;
    /** Three layers of its own, the middle one's blob removed from the registry's storage after the push. */
    private static PushedImage missingMiddleLayer;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        tokens = TokenServer.standard().start();
        registry = LocalRegistry.builder().tokenAuth(tokens).blobRedirect().start();
        fixtures = Fixtures.pushAll(registry);
        missingMiddleLayer = pushWithMissingMiddleLayer();
    }

    private static PushedImage pushWithMissingMiddleLayer() throws Exception {
        TestImage.Builder image = TestImage.docker();
        for (int i = 0; i < 3; i++) {
            image.layer(
                    new LayerBuilder()
                            .dir("missing/")
                            .file("missing/" + i + ".txt", "layer " + i + " of broken/missing\n")
                            .build(Compression.GZIP),
                    "ADD " + i + ".txt /missing/");
        }
        PushedImage pushed = new RegistryPusher(registry).push("broken/missing", "latest", image.build());
        Files.delete(registry.blobFile(pushed.image().layer(1).digest()));
        return pushed;
    }

    /** The start of the one line a download of the missing blob fails with (the registry's own words follow). */
    private static String missingBlobMessage() {
        return "regx: blob " + missingMiddleLayer.image().layer(1).digest() + " of " + registry.host()
                + "/broken/missing not found";
    }

    private List<String> namesIn(Path directory) throws Exception {
        try (var files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @AfterAll
    static void stop() {
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    @BeforeEach
    void fullRangeSupport() {
        cdn().rangeSupport(true);
        cdn().clearRequests();
    }

    private static BlobRedirectServer cdn() {
        return registry.blobRedirectServer().orElseThrow();
    }

    private CommandRun regx(String... args) {
        return CommandRun.run(dir.resolve("home"), args);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void aUsageErrorInTheRegistryOptionsComesBeforeTheOutputDirectoryIsCreated() {
        Path wanted = dir.resolve("new/layers");
        CommandRun run = regx(
                "save",
                "--insecure",
                "a b",
                "-o",
                wanted + "/",
                fixtures.composer().reference(),
                "0");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(dir.resolve("new")).doesNotExist();
    }

    @Test
    void aLayerAlreadySavedIsAlreadySavedWithoutAskingWhetherItsDirectoryTakesNewFiles() throws Exception {
        CommandRun first =
                regx("save", "-q", "-o", dir + "/", fixtures.composer().reference(), "0");
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Path saved = Path.of(first.out().strip());
        java.nio.file.attribute.PosixFileAttributeView view =
                Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class);
        view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            CommandRun again = regx("save", "-o", dir + "/", fixtures.composer().reference(), "0");

            assertThat(again.exitCode()).as(again.toString()).isZero();
            assertThat(again.out().strip()).isEqualTo(saved.toString());
            assertThat(again.err()).startsWith("regx: already saved ");
        } finally {
            view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void anEmptyOutputPathIsAUsageErrorNotTheCurrentDirectory() {
        CommandRun run = regx("save", "-o", "", fixtures.composer().reference(), "0");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("regx: -o needs a path (a file, a directory ending in /, or - for stdout)");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void savesTheLayerUnderItsDefaultNameInTheCurrentDirectoryThroughTheCdnRedirect() throws Exception {
        PushedImage composer = fixtures.composer();
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessRun run = ProcessRun.run(dir, home, null, "save", composer.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path saved = dir.resolve("smoshysmosh-composer-latest-0.tar.gzip");
        assertThat(run.outText()).isEqualTo("smoshysmosh-composer-latest-0.tar.gzip\n");
        assertThat(sha256(Files.readAllBytes(saved)))
                .isEqualTo(composer.image().layer(0).digest());
        assertThat(dir.resolve("smoshysmosh-composer-latest-0.tar.gzip.part")).doesNotExist();
        // Off a terminal: no progress frames, one summary line.
        assertThat(run.err()).doesNotContain("\r").contains("saved");
        assertThat(run.err().lines()).hasSize(1);
        assertThat(cdn().requests()).isNotEmpty();
        assertThat(cdn().authorizationRejections()).isZero();
        assertThat(cdn().requests()).noneMatch(BlobRedirectServer.Request::hadAuthorization);
    }

    @Test
    void outputDirectoryKeepsTheDefaultNameAndOutputFileIsUsedAsIs() throws Exception {
        PushedImage composer = fixtures.composer();
        Path out = Files.createDirectories(dir.resolve("out"));
        CommandRun intoDir = regx("save", "-o", out.toString(), composer.reference(), "1");
        assertThat(intoDir.exitCode()).as(intoDir.toString()).isZero();
        assertThat(intoDir.out().strip())
                .isEqualTo(out.resolve("smoshysmosh-composer-latest-1.tar.gzip").toString());
        assertThat(sha256(Files.readAllBytes(out.resolve("smoshysmosh-composer-latest-1.tar.gzip"))))
                .isEqualTo(composer.image().layer(1).digest());

        Path file = dir.resolve("custom.bin");
        CommandRun asFile = regx("save", "--output", file.toString(), composer.reference(), "1");
        assertThat(asFile.exitCode()).as(asFile.toString()).isZero();
        assertThat(sha256(Files.readAllBytes(file)))
                .isEqualTo(composer.image().layer(1).digest());
    }

    @Test
    void dashWritesTheBlobToStdoutAndNothingElse() throws Exception {
        PushedImage composer = fixtures.composer();
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessRun run = ProcessRun.run(dir, home, null, "save", composer.reference(), "2", "-o", "-");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(sha256(run.out())).isEqualTo(composer.image().layer(2).digest());
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("home");
        }
    }

    private static final String FULL_DISK =
            "regx: cannot write to standard output: No space left on device; " + "free some space or write elsewhere\n";

    @Test
    void fullDiskOnStdoutIsALocalWriteError() throws Exception {
        assumeTrue(new File("/dev/full").exists(), "no /dev/full on this system (it is Linux's)");
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessRun run = ProcessRun.run(
                dir, home, new File("/dev/full"), "save", fixtures.composer().reference(), "0", "-o", "-");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(run.err()).isEqualTo(FULL_DISK);
    }

    @Test
    void theBlobToAFullDiskIsExit12AndToAReaderThatLeftIs141Silently() {
        String image = fixtures.composer().reference();
        FailingStdout disk = FailingStdout.fullDiskAfter(1000);
        CommandRun full = CommandRun.run(dir.resolve("home"), disk, "save", image, "0", "-o", "-");
        FailingStdout pipe = FailingStdout.brokenPipeAfter(1000);
        CommandRun head = CommandRun.run(dir.resolve("home"), pipe, "save", image, "0", "-o", "-");

        assertThat(full.exitCode()).as(full.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(full.err()).isEqualTo(FULL_DISK);
        assertThat(disk.callsAfterFailure).isZero();
        assertThat(head.exitCode()).as(head.toString()).isEqualTo(ExitCode.OUTPUT_CLOSED.code());
        assertThat(head.err()).isEmpty();
        assertThat(pipe.callsAfterFailure).isZero();
    }

    @Test
    void theSavedPathOnAFullDiskIsExit12AndTheLayerStaysSaved() throws Exception {
        PushedImage composer = fixtures.composer();
        Path out = Files.createDirectories(dir.resolve("out"));

        CommandRun run = CommandRun.run(
                dir.resolve("home"),
                FailingStdout.fullDiskAfter(0),
                "save",
                "-q",
                "-o",
                out + "/",
                composer.reference(),
                "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(run.err()).isEqualTo(FULL_DISK);
        assertThat(sha256(Files.readAllBytes(out.resolve("smoshysmosh-composer-latest-0.tar.gzip"))))
                .isEqualTo(composer.image().layer(0).digest());
    }

    @Test
    void theSavedPathToAReaderThatLeftIs141AndSilent() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));

        CommandRun run = CommandRun.run(
                dir.resolve("home"),
                FailingStdout.brokenPipeAfter(0),
                "save",
                "-q",
                "-o",
                out + "/",
                fixtures.composer().reference(),
                "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OUTPUT_CLOSED.code());
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aFileThatCannotGrowIsALocalWriteErrorInOneLineAndLeavesOnlyThePart() throws Exception {
        // ulimit -f stands in for a full disk or quota: the kernel refuses the write that crosses the limit.
        assumeTrue(new File("/usr/bin/prlimit").canExecute(), "prlimit (util-linux) is not installed");
        PushedImage alpine = fixtures.alpine();
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessRun run = ProcessRun.run(
                List.of("/usr/bin/prlimit", "--fsize=1024", "--"), dir, home, null, "save", alpine.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .isEqualTo("regx: cannot write library-alpine-3.19-0.tar.gzip.part: File too large");
        assertThat(run.outText()).isEmpty();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("home", "library-alpine-3.19-0.tar.gzip.part");
        }
    }

    @Test
    void allSavesEveryLayerEachUnderItsOwnNameAndExtension() throws Exception {
        PushedImage formats = fixtures.formats();
        CommandRun run = regx("save", "--all", "-o", dir + "/", formats.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> names =
                run.out().lines().map(l -> Path.of(l).getFileName().toString()).toList();
        assertThat(names)
                .containsExactly(
                        "layers-formats-latest-0.tar.gzip",
                        "layers-formats-latest-1.tar.zst",
                        "layers-formats-latest-2.tar");
        for (int i = 0; i < names.size(); i++) {
            assertThat(sha256(Files.readAllBytes(dir.resolve(names.get(i)))))
                    .isEqualTo(formats.image().layer(i).digest());
        }
    }

    @Test
    void digestReferenceIsNamedAfterTheManifestDigest() throws Exception {
        PushedImage composer = fixtures.composer();
        CommandRun run = regx("save", "-o", dir.toString(), composer.digestReference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String hex12 = composer.digest().substring("sha256:".length(), "sha256:".length() + 12);
        assertThat(dir.resolve("smoshysmosh-composer-sha256-" + hex12 + "-0.tar.gzip"))
                .isRegularFile();
    }

    @Test
    void resumesAPartFileWithARangeRequest() throws Exception {
        TestImage.ImageLayer layer = fixtures.composer().image().layer(0);
        byte[] blob = layer.layer().bytes();
        int half = blob.length / 2;
        Files.write(dir.resolve("smoshysmosh-composer-latest-0.tar.gzip.part"), Arrays.copyOf(blob, half));

        CommandRun run = regx("save", "-o", dir.toString(), fixtures.composer().reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("smoshysmosh-composer-latest-0.tar.gzip")))
                .isEqualTo(blob);
        assertThat(cdn().requests()).anySatisfy(r -> assertThat(r.range()).isEqualTo("bytes=" + half + "-"));
    }

    @Test
    void resumeAgainstAServerWithoutRangesStartsOverAndStillVerifies() throws Exception {
        cdn().rangeSupport(false);
        TestImage.ImageLayer layer = fixtures.composer().image().layer(0);
        byte[] blob = layer.layer().bytes();
        Files.write(dir.resolve("smoshysmosh-composer-latest-0.tar.gzip.part"), Arrays.copyOf(blob, blob.length / 3));

        CommandRun run = regx("save", "-o", dir.toString(), fixtures.composer().reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("smoshysmosh-composer-latest-0.tar.gzip")))
                .isEqualTo(blob);
    }

    @Test
    void aPartFileWithForeignBytesIsDiscardedAndDownloadedAgain() throws Exception {
        byte[] blob = fixtures.composer().image().layer(0).layer().bytes();
        Files.write(dir.resolve("smoshysmosh-composer-latest-0.tar.gzip.part"), new byte[blob.length / 2]);

        CommandRun run = regx("save", "-o", dir.toString(), fixtures.composer().reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("smoshysmosh-composer-latest-0.tar.gzip")))
                .isEqualTo(blob);
    }

    @Test
    void existingFileWithTheRightDigestIsLeftAloneAndOtherContentNeedsForce() throws Exception {
        byte[] blob = fixtures.composer().image().layer(0).layer().bytes();
        Path target = dir.resolve("smoshysmosh-composer-latest-0.tar.gzip");
        Files.write(target, blob);

        CommandRun same = regx("save", "-o", dir.toString(), fixtures.composer().reference(), "0");
        assertThat(same.exitCode()).as(same.toString()).isZero();
        assertThat(same.err()).contains("already saved");
        String layerHex = fixtures.composer().image().layer(0).digest().substring("sha256:".length());
        assertThat(cdn().requests()).noneMatch(r -> r.path().contains(layerHex));

        Files.writeString(target, "something else");
        CommandRun other =
                regx("save", "-o", dir.toString(), fixtures.composer().reference(), "0");
        assertThat(other.exitCode()).isEqualTo(ExitCode.FILE_EXISTS.code());
        assertThat(other.errLines()).singleElement().asString().contains("--force");
        assertThat(Files.readString(target)).isEqualTo("something else");

        CommandRun forced = regx(
                "save", "--force", "-o", dir.toString(), fixtures.composer().reference(), "0");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(Files.readAllBytes(target)).isEqualTo(blob);
    }

    @Test
    void aReferenceTooLongForAFileNameIsSavedUnderAShortenedName() throws Exception {
        // 240 characters of repository and 128 of tag are valid, but would make a 380-byte file name.
        String repository = "long/" + "r".repeat(235);
        String tag = "t".repeat(128);
        PushedImage image = new RegistryPusher(registry)
                .push(
                        repository,
                        tag,
                        TestImage.docker()
                                .layer(new LayerBuilder().file("a.txt", "a\n").build(Compression.GZIP), "ADD a.txt /")
                                .build());

        CommandRun run = regx("save", "-o", dir + "/", image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(namesIn(dir))
                .singleElement()
                .asString()
                .startsWith("long-rrrr")
                .endsWith("-0.tar.gzip")
                .hasSizeLessThanOrEqualTo(250);
        assertThat(Path.of(run.out().strip()))
                .hasBinaryContent(image.image().layer(0).layer().bytes());
    }

    @Test
    void aBlobTheRegistryHoldsShorterThanItsDescriptorSaysIsExit9AtOnceLeavingNothing() throws Exception {
        byte[] blob = fixtures.composer().image().layer(0).layer().bytes();
        // A real registry checks digests on upload but not the sizes a manifest claims for them.
        Layer claimsMore = new Layer(
                Compression.GZIP, sha256(blob), blob.length + 5, sha256(blob), blob.length, List.of(), blob, null);
        PushedImage image = new RegistryPusher(registry)
                .push(
                        "broken/short",
                        "latest",
                        TestImage.docker()
                                .layer(claimsMore, "size claimed wrong")
                                .build());

        CommandRun run = regx("save", "-o", dir.toString(), image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.DIGEST_MISMATCH.code());
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("the registry served " + blob.length + " bytes where the manifest says " + (blob.length + 5));
        String blobHex = sha256(blob).substring("sha256:".length());
        assertThat(cdn().requests())
                .as("no retry, no resume")
                .filteredOn(r -> r.path().contains(blobHex))
                .hasSize(1);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .doesNotContain("broken-short-latest-0.tar.gzip", "broken-short-latest-0.tar.gzip.part");
        }
    }

    @Test
    void aBlobWhoseBytesAreNotWhatTheManifestNamesIsExit9() throws Exception {
        byte[] promised = fixtures.composer().image().layer(0).layer().bytes();
        byte[] served = promised.clone();
        served[served.length / 2] ^= 1;
        try (WrongBlobRegistry wrong = WrongBlobRegistry.serving(promised, served)) {
            CommandRun run = regx("save", "-o", dir.toString(), wrong.reference(), "0");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.DIGEST_MISMATCH.code());
            assertThat(run.errLines())
                    .singleElement()
                    .asString()
                    .contains("has digest " + sha256(served) + ", not " + sha256(promised));
            assertThat(wrong.layerRequests()).isEqualTo(1);
        }
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void layerIndexOutOfRangeIsNotFound() {
        CommandRun run = regx("save", "-o", dir.toString(), fixtures.composer().reference(), "99");

        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.errLines()).singleElement().asString().contains("no layer 99", "0 to");
    }

    @Test
    void aSymbolicLinkGivenToDashOStaysALinkAndTheFileItPointsToIsWritten() throws Exception {
        Path archive = Files.createDirectories(dir.resolve("archive"));
        Path link = Files.createSymbolicLink(dir.resolve("current.tar.gzip"), Path.of("archive/layer-0.tar.gzip"));

        CommandRun run = regx("save", "-o", link.toString(), fixtures.composer().reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(link + "\n");
        assertThat(link).isSymbolicLink();
        assertThat(sha256(Files.readAllBytes(archive.resolve("layer-0.tar.gzip"))))
                .isEqualTo(fixtures.composer().image().layer(0).digest());
        assertThat(namesIn(archive)).containsExactly("layer-0.tar.gzip");
        assertThat(namesIn(dir)).containsExactly("archive", "current.tar.gzip");

        Files.writeString(archive.resolve("layer-0.tar.gzip"), "something else");
        CommandRun refused =
                regx("save", "-o", link.toString(), fixtures.composer().reference(), "0");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.FILE_EXISTS.code());
        CommandRun forced = regx(
                "save", "--force", "-o", link.toString(), fixtures.composer().reference(), "0");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(link).isSymbolicLink();
        assertThat(sha256(Files.readAllBytes(archive.resolve("layer-0.tar.gzip"))))
                .isEqualTo(fixtures.composer().image().layer(0).digest());
    }

    @Test
    void anIndexOfAnySizePastTheLastLayerIsNotFoundAsInLs() {
        CommandRun run = regx("save", "-o", dir.toString(), fixtures.composer().reference(), "99999999999999999999");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("(0 to 3); there is no layer 99999999999999999999");
    }

    @Test
    void aNegativeOrNonNumericIndexIsAUsageErrorBeforeAnyRequest() throws Exception {
        CommandRun negative = regx("save", "-o", dir.toString(), "127.0.0.1:1/nothing/here", "-1");
        assertThat(negative.exitCode()).as(negative.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(negative.errLines())
                .singleElement()
                .asString()
                .contains("layer index -1 is negative; layers count from 0");

        CommandRun word = regx("save", "-o", dir.toString(), "127.0.0.1:1/nothing/here", "first");
        assertThat(word.exitCode()).as(word.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(word.errLines())
                .singleElement()
                .asString()
                .contains("IDX must be a whole number from 0", "not 'first'");
        assertThat(namesIn(dir)).isEmpty();
    }

    @Test
    void outputUnderAFileIsALocalWriteErrorLeavingNothingBehind() throws Exception {
        Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
        CommandRun run = regx(
                "save",
                "-o",
                notADirectory + "/sub/out.tar.gzip",
                fixtures.composer().reference(),
                "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines())
                .containsExactly("regx: cannot write into " + notADirectory + "/sub: " + notADirectory
                        + " is not a directory; save elsewhere with -o");
        assertThat(namesIn(dir)).containsExactly("plain-file");
    }

    @Test
    void anOutputPathEndingInASlashIsADirectoryCreatedWithItsParents() throws Exception {
        PushedImage formats = fixtures.formats();
        Path out = dir.resolve("a/b/layers");
        CommandRun run = regx("save", "--all", "-o", out + "/", formats.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .isEqualTo(out.resolve("layers-formats-latest-0.tar.gzip") + "\n"
                        + out.resolve("layers-formats-latest-1.tar.zst") + "\n"
                        + out.resolve("layers-formats-latest-2.tar") + "\n");
        assertThat(namesIn(out))
                .containsExactly(
                        "layers-formats-latest-0.tar.gzip",
                        "layers-formats-latest-1.tar.zst",
                        "layers-formats-latest-2.tar");

        // The example in --help, relative to the current directory.
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessRun relative = ProcessRun.run(dir, home, null, "save", "-o", "layers/", formats.reference(), "2");
        assertThat(relative.exitCode()).as(relative.toString()).isZero();
        assertThat(relative.outText()).isEqualTo("layers/layers-formats-latest-2.tar\n");
        assertThat(dir.resolve("layers/layers-formats-latest-2.tar")).isRegularFile();
    }

    /**
     * The registry here refuses connections: the output is checked first, so the answer is exit 12, not the
     * network failure that any request would end in.
     */
    @Test
    void aBadOutputLocationFailsBeforeAnythingIsFetched() throws Exception {
        String unreachable = "127.0.0.1:1/smoshysmosh/composer:latest";
        Path file = Files.writeString(dir.resolve("plain-file"), "x");

        CommandRun missing = regx("save", "-o", dir + "/missing/out.tar.gzip", unreachable, "0");
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(missing.errLines())
                .containsExactly("regx: cannot write into " + dir + "/missing: no such directory;"
                        + " create it, or end -o with / to have regx create it");

        CommandRun underAFile = regx("save", "--all", "-o", file + "/sub/", unreachable);
        assertThat(underAFile.exitCode()).as(underAFile.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(underAFile.errLines())
                .containsExactly("regx: cannot write into " + file + "/sub: " + file
                        + " is not a directory; save elsewhere with -o");

        CommandRun fileAsDirectory = regx("save", "-o", file + "/", unreachable, "0");
        assertThat(fileAsDirectory.exitCode()).as(fileAsDirectory.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(fileAsDirectory.errLines())
                .containsExactly("regx: cannot write into " + file + ": " + file
                        + " is not a directory; save elsewhere with -o");

        CommandRun allIntoAFile = regx("save", "--all", "-o", dir + "/nodir", unreachable);
        assertThat(allIntoAFile.exitCode()).as(allIntoAFile.toString()).isEqualTo(ExitCode.USAGE.code());

        assertThat(missing.out() + underAFile.out() + fileAsDirectory.out() + allIntoAFile.out())
                .isEmpty();
        assertThat(namesIn(dir)).containsExactly("plain-file");
    }

    @Test
    void aMissingBlobIsNotFoundAndLeavesNoPartBehind() throws Exception {
        CommandRun run = regx("save", "-o", dir + "/", missingMiddleLayer.reference(), "1");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith(missingBlobMessage())
                .endsWith("; the registry lacks a blob its manifest names: tell whoever runs it");
        assertThat(namesIn(dir)).isEmpty();
    }

    @Test
    void allListsTheLayersItSavedEvenWhenAnotherFailsThenExitsWithThatFailure() throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        CommandRun run = regx("save", "--all", "-o", out + "/", missingMiddleLayer.reference());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.out())
                .isEqualTo(out.resolve("broken-missing-latest-0.tar.gzip") + "\n"
                        + out.resolve("broken-missing-latest-2.tar.gzip") + "\n");
        String[] err = run.errLines();
        assertThat(err).hasSize(3);
        // The layers run in parallel: their lines come in either order, the failure last.
        assertThat(Arrays.copyOf(err, 2))
                .anySatisfy(l -> assertThat(l)
                        .startsWith("regx: saved " + out.resolve("broken-missing-latest-0.tar.gzip") + " (layer 0,"))
                .anySatisfy(l -> assertThat(l)
                        .startsWith("regx: saved " + out.resolve("broken-missing-latest-2.tar.gzip") + " (layer 2,"));
        assertThat(err[2])
                .as("which layer failed, as for any other than the first")
                .startsWith(missingBlobMessage().replace("regx: ", "regx: layer 1: "));
        assertThat(namesIn(out))
                .containsExactly("broken-missing-latest-0.tar.gzip", "broken-missing-latest-2.tar.gzip");
        for (int i : new int[] {0, 2}) {
            assertThat(sha256(Files.readAllBytes(out.resolve("broken-missing-latest-" + i + ".tar.gzip"))))
                    .isEqualTo(missingMiddleLayer.image().layer(i).digest());
        }
    }

    @Test
    void devNullIsWrittenToDirectlyAndNamedOnStderrOnly() {
        CommandRun run = regx("save", "-o", "/dev/null", fixtures.composer().reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("regx: wrote /dev/null (layer 0, ")
                .endsWith(fixtures.composer().image().layer(0).digest() + ")");
        assertThat(Path.of("/dev/null.part")).doesNotExist();
        assertThat(Files.isRegularFile(Path.of("/dev/null"))).isFalse();
    }

    @Test
    void aFullDeviceIsALocalWriteErrorThatForceCannotChange() {
        for (String force : new String[] {"--progress=never", "--force"}) {
            CommandRun run =
                    regx("save", force, "-o", "/dev/full", fixtures.composer().reference(), "0");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).containsExactly("regx: cannot write to /dev/full: No space left on device");
        }
    }

    @Test
    void aFifoAndALinkToItAreWrittenToAsStreamsAndVerified() throws Exception {
        Path fifo = dir.resolve("fifo");
        Process mkfifo =
                new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertThat(mkfifo.waitFor()).isZero();
        Path link = Files.createSymbolicLink(dir.resolve("link"), fifo);
        for (Path target : List.of(fifo, link)) {
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return Files.readAllBytes(fifo);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            CommandRun run =
                    regx("save", "-o", target.toString(), fixtures.composer().reference(), "1");

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines()).singleElement().asString().startsWith("regx: wrote " + target + " (layer 1, ");
            assertThat(sha256(read.get(30, TimeUnit.SECONDS)))
                    .isEqualTo(fixtures.composer().image().layer(1).digest());
            assertThat(Files.isRegularFile(fifo)).isFalse();
            assertThat(link).isSymbolicLink();
        }
        assertThat(namesIn(dir)).containsExactly("fifo", "link");
    }

    @Test
    void devStdoutGetsTheBlobAloneWhetherStdoutIsAPipeOrAFile() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        String layer2 = fixtures.composer().image().layer(2).digest();
        ProcessRun toPipe =
                ProcessRun.run(dir, home, null, "save", fixtures.composer().reference(), "2", "-o", "/dev/stdout");
        assertThat(toPipe.exitCode()).as(toPipe.toString()).isZero();
        assertThat(sha256(toPipe.out())).isEqualTo(layer2);

        File file = dir.resolve("redirected").toFile();
        ProcessRun toFile =
                ProcessRun.run(dir, home, file, "save", fixtures.composer().reference(), "2", "-o", "/dev/stdout");
        assertThat(toFile.exitCode()).as(toFile.toString()).isZero();
        assertThat(sha256(Files.readAllBytes(file.toPath()))).isEqualTo(layer2);
        assertThat(toFile.err().lines()).singleElement().asString().startsWith("regx: wrote /dev/stdout (layer 2, ");
        assertThat(namesIn(dir)).containsExactly("home", "redirected");
    }

    @Test
    void aDirectoryAtTheTargetNameIsALocalWriteErrorThatForceCannotChange() throws Exception {
        Path inTheWay = Files.createDirectories(dir.resolve("smoshysmosh-composer-latest-0.tar.gzip"));
        for (String force : new String[] {"--progress=never", "--force"}) {
            CommandRun run = regx(
                    "save", force, "-o", dir.toString(), fixtures.composer().reference(), "0");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
            assertThat(run.out()).isEmpty();
            assertThat(run.errLines())
                    .containsExactly("regx: cannot write " + inTheWay
                            + ": it is a directory; remove it, or save elsewhere with -o");
        }
        assertThat(namesIn(dir)).containsExactly("smoshysmosh-composer-latest-0.tar.gzip");
        assertThat(inTheWay).isEmptyDirectory();
    }

    @Test
    void theSameLayerOfAnotherPlatformIsNamedAsTheLikelyCauseOfAnExistingFile() {
        String multi = fixtures.multiArch().reference();
        CommandRun arm = regx("save", "--platform", "linux/arm64", multi, "0", "-o", dir + "/");
        assertThat(arm.exitCode()).as(arm.toString()).isZero();

        CommandRun amd = regx("save", "--platform", "linux/amd64", multi, "0", "-o", dir + "/");

        assertThat(amd.exitCode()).as(amd.toString()).isEqualTo(ExitCode.FILE_EXISTS.code());
        assertThat(amd.errLines())
                .singleElement()
                .asString()
                .contains("perhaps the same layer of another platform", "elsewhere with -o", "--force");
    }

    @Test
    void indexAndAllTogetherIsAUsageError() {
        CommandRun run = regx("save", "--all", fixtures.composer().reference(), "0");
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.errLines()).singleElement().asString().contains("not both");
    }

    @Test
    void progressAlwaysDrawsABarOffATerminalNeverAndQuietDrawNothing() throws Exception {
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessRun always = ProcessRun.run(
                dir,
                home,
                null,
                "save",
                "--progress=always",
                "-o",
                "always.bin",
                fixtures.composer().reference(),
                "1");
        assertThat(always.exitCode()).as(always.toString()).isZero();
        assertThat(always.err()).contains("always.bin", "KiB");

        ProcessRun never = ProcessRun.run(
                dir,
                home,
                null,
                "save",
                "--progress=never",
                "-o",
                "never.bin",
                fixtures.composer().reference(),
                "1");
        assertThat(never.exitCode()).as(never.toString()).isZero();
        assertThat(never.err()).doesNotContain("\r").startsWith("regx: saved never.bin");

        ProcessRun quiet = ProcessRun.run(
                dir,
                home,
                null,
                "save",
                "-q",
                "--progress=always",
                "-o",
                "quiet.bin",
                fixtures.composer().reference(),
                "1");
        assertThat(quiet.exitCode()).as(quiet.toString()).isZero();
        assertThat(quiet.err()).isEmpty();
        assertThat(quiet.outText()).isEqualTo("quiet.bin\n");
    }
}
