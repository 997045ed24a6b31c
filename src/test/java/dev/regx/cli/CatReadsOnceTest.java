package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.testing.BlobRedirectServer;
import dev.regx.testing.Compression;
import dev.regx.testing.LayerBuilder;
import dev.regx.testing.LocalRegistry;
import dev.regx.testing.PushedImage;
import dev.regx.testing.RegistryPusher;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.TestImage;
import dev.regx.testing.TokenServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How many times {@code regx cat IMAGE IDX PATH} reads the layer, counted as blob GETs on the server the
 * registry redirects them to: once for a PATH that is missing, so a miss costs no second pass holding the whole
 * index. A PATH that goes missing past a link still takes a second read: the file it names may have come before the
 * link in the tar, when the first pass did not know to keep it.
 */
@RequiresRegistry
class CatReadsOnceTest {
    private static TokenServer tokens;
    private static LocalRegistry registry;
    private static PushedImage image;
    private static String layerHex;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        tokens = TokenServer.standard().start();
        registry = LocalRegistry.builder().tokenAuth(tokens).blobRedirect().start();
        LayerBuilder layer = new LayerBuilder()
                .dir("usr/lib/")
                .file("usr/lib/libz.so", "binary")
                .file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
                .file("etc/late", "came before its link")
                .symlink("etc/alias", "late")
                .symlink("lib", "usr/lib")
                .symlink("etc/dangling", "/nowhere/file");
        image = new RegistryPusher(registry)
                .push(
                        "files/once",
                        "latest",
                        TestImage.oci()
                                .layer(layer.build(Compression.GZIP), "base")
                                .build());
        layerHex = image.image().layer(0).digest().substring("sha256:".length());
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
    void forget() {
        cdn().clearRequests();
    }

    @Test
    void aMissingPathReadsTheLayerOnceAndNamesTheNearestExistingParent() {
        CommandRun run = regx("cat", image.reference(), "0", "usr/lib/nope/deeper/file");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("usr/lib/nope/deeper/file: no such file or directory in layer 0")
                .endsWith("regx ls " + image.reference() + " 0 usr/lib/");
        assertThat(layerReads()).isEqualTo(1);
    }

    @Test
    void aPathThroughARegularFileReadsTheLayerOnceAndSaysSo() {
        CommandRun run = regx("cat", image.reference(), "0", "etc/../etc/passwd/x");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.errLines()).singleElement().asString().contains("etc/passwd is not a directory in layer 0");
        assertThat(layerReads()).isEqualTo(1);
    }

    /** A regular file at where the link leads may have come before the link, and been left out of the first pass. */
    @Test
    void aPathMissingPastALinkStillReadsTheWholeLayerASecondTime() {
        CommandRun run = regx("cat", image.reference(), "0", "lib/nope");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("lib/nope: link lib -> usr/lib leads to usr/lib/nope, which is not in layer 0");
        assertThat(layerReads()).isEqualTo(2);
    }

    @Test
    void aLinkToAnEarlierFileNeedsTheSecondReadAndPrintsIt() {
        CommandRun run = regx("cat", image.reference(), "0", "etc/alias");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("came before its link");
        assertThat(layerReads()).isEqualTo(3);
    }

    private static long layerReads() {
        return cdn().requests().stream()
                .filter(r -> r.method().equals("GET") && r.path().contains(layerHex))
                .count();
    }

    private static BlobRedirectServer cdn() {
        return registry.blobRedirectServer().orElseThrow();
    }

    private CommandRun regx(String... args) {
        return CommandRun.run(home, args);
    }
}
