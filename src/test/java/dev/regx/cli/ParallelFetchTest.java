package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.testing.BlobRedirectServer;
import dev.regx.testing.Compression;
import dev.regx.testing.Fixtures;
import dev.regx.testing.LayerBuilder;
import dev.regx.testing.LocalRegistry;
import dev.regx.testing.PushedImage;
import dev.regx.testing.RegistryPusher;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.TestImage;
import dev.regx.testing.TokenServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A big layer fetched over several connections, in ranged chunks, from a real registry with token auth whose
 * blobs redirect to a CDN stand-in that refuses {@code Authorization}. The chunks are made small (64 KiB, through
 * the test-only system properties of {@code ParallelFetch}), so a 2 MiB layer is 32 of them. Whether the link is
 * slower than regx (which decides between several connections and one stream) is fixed per test through the same
 * properties: a loopback server is as fast or as slow as the machine is busy.
 */
@RequiresRegistry
class ParallelFetchTest {
    private static final int CHUNK = 64 << 10;
    /** Starved reads in a row that show a slow link: 0, at once; a huge number, never. */
    private static final String LINK_BOUND_AFTER = "regx.fetch.linkBoundAfter";

    private static TokenServer tokens;
    private static LocalRegistry registry;
    private static PushedImage image;
    private static byte[] blob;
    private static String blobPath;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        System.setProperty("regx.fetch.chunkBytes", Integer.toString(CHUNK));
        System.setProperty("regx.fetch.minBytes", Integer.toString(2 * CHUNK));
        System.setProperty(LINK_BOUND_AFTER, "0"); // a slow link unless a test says otherwise
        tokens = TokenServer.standard().start();
        registry = LocalRegistry.builder().tokenAuth(tokens).blobRedirect().start();
        byte[] noise = new byte[2 << 20];
        new Random(17).nextBytes(noise); // incompressible: the gzip blob is as big
        image = new RegistryPusher(registry)
                .push(
                        "big/noise",
                        "latest",
                        TestImage.docker()
                                .layer(
                                        new LayerBuilder()
                                                .file("small.txt", "before the noise\n")
                                                .file("noise.bin", noise)
                                                .file("last.txt", "after the noise\n")
                                                .build(Compression.GZIP),
                                        "ADD noise /")
                                .build());
        blob = image.image().layer(0).layer().bytes();
        blobPath = registry.blobFile(image.image().layer(0).digest()).toString();
    }

    @AfterAll
    static void stop() {
        System.clearProperty("regx.fetch.chunkBytes");
        System.clearProperty("regx.fetch.minBytes");
        System.clearProperty(LINK_BOUND_AFTER);
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
    }

    @BeforeEach
    void soundCdn() {
        cdn().rangeSupport(true);
        cdn().clearRequests();
        System.setProperty(LINK_BOUND_AFTER, "0");
    }

    private static BlobRedirectServer cdn() {
        return registry.blobRedirectServer().orElseThrow();
    }

    /** The CDN's answers for the layer blob (not the config), in the order they went out. */
    private static List<BlobRedirectServer.Request> blobRequests() {
        List<BlobRedirectServer.Request> mine = new ArrayList<>();
        for (BlobRedirectServer.Request r : cdn().requests()) {
            if (blobPath.endsWith(r.path()) && r.method().equals("GET")) {
                mine.add(r);
            }
        }
        return mine;
    }

    private CommandRun regx(String... args) {
        return CommandRun.run(dir.resolve("home"), args);
    }

    private Path saved() {
        return dir.resolve("big-noise-latest-0.tar.gzip");
    }

    @Test
    void savesABigLayerInRangedChunksOverSeveralConnectionsWithoutSendingTheTokenToTheCdn() throws Exception {
        CommandRun run = regx("save", "-o", dir.toString(), image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(saved())).isEqualTo(blob);
        int chunks = (blob.length + CHUNK - 1) / CHUNK;
        assertThat(blobRequests())
                .hasSize(chunks)
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(206));
        List<String> ranges = new ArrayList<>();
        for (BlobRedirectServer.Request r : blobRequests()) {
            ranges.add(r.range());
        }
        assertThat(ranges)
                .contains("bytes=0-" + (CHUNK - 1), "bytes=" + CHUNK + "-" + (2 * CHUNK - 1))
                .contains("bytes=" + (long) (chunks - 1) * CHUNK + "-" + (blob.length - 1));
        assertThat(cdn().authorizationRejections()).isZero();
    }

    @Test
    void listsABigLayerInChunksAsOneStreamListsIt() {
        CommandRun one = regx("ls", "--connections", "1", image.reference(), "0");
        assertThat(blobRequests()).hasSize(1);
        cdn().clearRequests();

        CommandRun parallel = regx("ls", image.reference(), "0");

        assertThat(parallel.exitCode()).as(parallel.toString()).isZero();
        assertThat(parallel.out()).isEqualTo(one.out()).contains("noise.bin", "last.txt");
        assertThat(blobRequests()).hasSizeGreaterThan(1);
    }

    @Test
    void catOfTheFileAfterTheNoiseReadsTheChunksInOrder() {
        CommandRun run = regx("cat", image.reference(), "0", "last.txt");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("after the noise\n");
        assertThat(blobRequests()).hasSizeGreaterThan(1);
    }

    @Test
    void aChunkWhoseConnectionBreaksMidBodyIsResumedWithinTheChunk() throws Exception {
        cdn().cutOnce(3L * CHUNK, 1000);

        CommandRun run = regx("save", "-o", dir.toString(), image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(saved())).isEqualTo(blob);
        assertThat(blobRequests())
                .extracting(BlobRedirectServer.Request::range)
                .contains(
                        "bytes=" + 3 * CHUNK + "-" + (4 * CHUNK - 1),
                        "bytes=" + (3 * CHUNK + 1000) + "-" + (4 * CHUNK - 1));
    }

    @Test
    void aServerThatIgnoresRangesIsReadAsOneStreamWithoutFetchingAByteTwice() throws Exception {
        cdn().rangeSupport(false);

        CommandRun run = regx("save", "-o", dir.toString(), image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(saved())).isEqualTo(blob);
        assertThat(blobRequests())
                .hasSize(1)
                .allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void wrongBytesInOneChunkAreExit9AndLeaveNoFile() throws Exception {
        cdn().corruptByte(5L * CHUNK + 123);

        CommandRun run = regx("save", "-o", dir.toString(), image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.DIGEST_MISMATCH.code());
        assertThat(run.err())
                .startsWith("regx: ")
                .contains(image.image().layer(0).digest());
        assertThat(saved()).doesNotExist();
        assertThat(Path.of(saved() + ".part")).doesNotExist();
    }

    @Test
    void anInterruptedParallelSaveLeavesAPrefixThatTheNextRunResumesAndVerifies() throws Exception {
        cdn().delayBodies(150);
        Path part = Path.of(saved() + ".part");
        Path home = Files.createDirectories(dir.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-Dregx.fetch.chunkBytes=" + CHUNK,
                        "-Dregx.fetch.minBytes=" + 2 * CHUNK,
                        "-D" + LINK_BOUND_AFTER + "=0",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "save",
                        "-o",
                        dir.toString(),
                        image.reference(),
                        "0")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile());
        pb.environment().put("DOCKER_CONFIG", home.toString());
        Process child = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        // O_DIRECT writes go out a MiB at a time: wait for the first.
        while (child.isAlive() && System.nanoTime() < deadline && (!Files.exists(part) || Files.size(part) < 1 << 20)) {
            Thread.sleep(20);
        }
        new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start().waitFor();
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue())
                .as(Files.readString(dir.resolve("child.log")))
                .isEqualTo(ExitCode.INTERRUPTED.code());
        assertThat(saved()).doesNotExist();
        long held = Files.size(part);
        assertThat(held).isPositive().isLessThan(blob.length);
        assertThat(Files.readAllBytes(part)).isEqualTo(Arrays.copyOf(blob, (int) held));
        cdn().clearRequests();

        CommandRun resumed = regx("save", "-o", dir.toString(), image.reference(), "0");

        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(Files.readAllBytes(saved())).isEqualTo(blob);
        assertThat(part).doesNotExist();
        assertThat(blobRequests())
                .extracting(BlobRedirectServer.Request::range)
                .contains("bytes=" + held + "-" + (held + CHUNK - 1))
                .noneMatch(range -> range.startsWith("bytes=0-"));
    }

    @Test
    void connectionsOutsideOneToSixteenAreAUsageError() {
        CommandRun run = regx("save", "--connections", "0", image.reference(), "0");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err()).contains("--connections takes 1 to 16, not 0");
        assertThat(blobRequests()).isEmpty();
    }

    /** The fixture images' small layers stay one stream: below the threshold, chunks would only add requests. */
    @Test
    void aLayerBelowTheThresholdIsOneRequest() throws Exception {
        Fixtures.Set fixtures = Fixtures.pushAll(registry);
        cdn().clearRequests();

        CommandRun run = regx("save", "-o", dir.toString(), fixtures.alpine().reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(cdn().requests()).filteredOn(r -> r.range() != null).isEmpty();
    }

    /** Reads of the first chunk that come back full show a link that keeps up: no chunks after it, one stream. */
    @Test
    void aLinkThatKeepsUpWithRegxGetsTheRestOfTheBlobOverOneStream() throws Exception {
        System.setProperty(LINK_BOUND_AFTER, Integer.toString(Integer.MAX_VALUE));

        CommandRun save = regx("save", "-o", dir.toString(), image.reference(), "0");
        List<String> saveRanges = ranges();
        cdn().clearRequests();
        CommandRun ls = regx("ls", image.reference(), "0");

        assertThat(save.exitCode()).as(save.toString()).isZero();
        assertThat(Files.readAllBytes(saved())).isEqualTo(blob);
        assertThat(saveRanges).containsExactly("bytes=0-" + (CHUNK - 1), "bytes=" + CHUNK + "-" + (blob.length - 1));
        assertThat(ls.exitCode()).as(ls.toString()).isZero();
        assertThat(ls.out()).contains("noise.bin", "last.txt");
        assertThat(ranges()).containsExactly("bytes=0-" + (CHUNK - 1), "bytes=" + CHUNK + "-" + (blob.length - 1));
        assertThat(cdn().authorizationRejections()).isZero();
    }

    @Test
    void theOneStreamIsResumedFromItsLastByteWhenItsConnectionBreaks() throws Exception {
        System.setProperty(LINK_BOUND_AFTER, Integer.toString(Integer.MAX_VALUE));
        cdn().cutOnce(CHUNK, 300_000);

        CommandRun run = regx("save", "-o", dir.toString(), image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(saved())).isEqualTo(blob);
        assertThat(ranges())
                .containsExactly(
                        "bytes=0-" + (CHUNK - 1),
                        "bytes=" + CHUNK + "-" + (blob.length - 1),
                        "bytes=" + (CHUNK + 300_000) + "-" + (blob.length - 1));
    }

    /**
     * A CDN that lets each answer's first 256 KiB through at full speed, then drips the rest: the first chunk looks
     * fast, the one stream after it starves, and chunks over several connections take over from where it stood.
     */
    @Test
    void aLinkThatTurnsSlowHandsTheRestOfTheStreamToChunksOverSeveralConnections() throws Exception {
        System.setProperty(LINK_BOUND_AFTER, "4");
        cdn().capAfter(256 << 10);

        CommandRun run = regx("save", "-o", dir.toString(), image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(saved())).isEqualTo(blob);
        List<String> ranges = ranges();
        assertThat(ranges).startsWith("bytes=0-" + (CHUNK - 1), "bytes=" + CHUNK + "-" + (blob.length - 1));
        List<String> chunksAfter = ranges.subList(2, ranges.size());
        assertThat(chunksAfter).hasSizeGreaterThan(4);
        assertHandedOverToChunksPast(CHUNK + (256L << 10), chunksAfter);
    }

    /**
     * A CDN that caps a connection in bursts (384 KiB every 150 ms after the first 256 KiB): each read gets a good
     * part of what it asks for, but the reader spends most of its time waiting for the next burst.
     */
    @Test
    void aLinkThatSendsInSlowBurstsHandsTheRestOfTheStreamToChunksToo() throws Exception {
        System.setProperty(LINK_BOUND_AFTER, "1000"); // starved reads alone would never tell
        cdn().capAfter(256 << 10, 384 << 10, 150);

        CommandRun run = regx("save", "-o", dir.toString(), image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(saved())).isEqualTo(blob);
        List<String> ranges = ranges();
        assertThat(ranges).startsWith("bytes=0-" + (CHUNK - 1), "bytes=" + CHUNK + "-" + (blob.length - 1));
        assertHandedOverToChunksPast(CHUNK + (256L << 10), ranges.subList(2, ranges.size()));
    }

    /** The requests after the one stream are chunks from where it stood, past what it got at full speed. */
    private static void assertHandedOverToChunksPast(long fastBytes, List<String> chunksAfter) {
        assertThat(chunksAfter).hasSizeGreaterThan(4);
        long handedOverAt = Long.parseLong(chunksAfter.get(0).replaceAll("bytes=(\\d+)-.*", "$1"));
        assertThat(handedOverAt).isGreaterThan(fastBytes);
        assertThat(chunksAfter).contains("bytes=" + handedOverAt + "-" + (handedOverAt + CHUNK - 1));
        assertThat(cdn().authorizationRejections()).isZero();
    }

    /** The Range headers of the CDN's answers for the layer blob, in the order they went out. */
    private static List<String> ranges() {
        List<String> ranges = new ArrayList<>();
        for (BlobRedirectServer.Request r : blobRequests()) {
            ranges.add(r.range());
        }
        return ranges;
    }
}
