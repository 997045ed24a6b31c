package dev.regx.save;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.regx.registry.Digest;
import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.blob.BlobFetcher;
import dev.regx.registry.blob.FetchProgress;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.transport.RetryPolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regx save}'s download under faults a real registry will not produce on demand: WireMock on
 * loopback, a retry policy that records its sleeps instead of sleeping, and a clock the test moves.
 */
class LayerSaverFaultTest {
    private static final int SIZE = 64 * 1024;
    private static final int HALF = SIZE / 2;
    private static final byte[] BLOB = new byte[SIZE];
    private static final String DIGEST;

    static {
        new Random(42).nextBytes(BLOB);
        DIGEST = Digest.sha256(BLOB).toString();
    }

    private WireMockServer registry;
    private final List<Duration> sleeps = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    private RegistryClient client() {
        return RegistryClient.builder()
                .retryPolicy(policy())
                .clock(clock)
                .readTimeout(Duration.ofSeconds(5))
                .build();
    }

    private RetryPolicy policy() {
        return new RetryPolicy(4, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(30), sleeps::add);
    }

    private ImageReference ref() {
        return ImageReference.parse("127.0.0.1:" + registry.port() + "/foo/bar:latest");
    }

    private static Descriptor descriptor(String digest, long size) {
        return new Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", digest, size, List.of(), null, Map.of());
    }

    private static MappingBuilder blobGet() {
        return get(urlPathEqualTo("/v2/foo/bar/blobs/" + DIGEST));
    }

    private LayerSaver.Outcome save(Path target) throws Exception {
        RegistryClient client = client();
        return new LayerSaver(new BlobFetcher(client, policy()))
                .save(ref(), descriptor(DIGEST, SIZE), target, false, FetchProgress.none());
    }

    private static byte[] slice(int from, int to) {
        return Arrays.copyOfRange(BLOB, from, to);
    }

    @Test
    void serverErrorsAreRetriedHonouringRetryAfterThenTheBlobIsSaved() throws Exception {
        registry.stubFor(blobGet()
                .inScenario("5xx")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "2"))
                .willSetStateTo("again"));
        registry.stubFor(blobGet()
                .inScenario("5xx")
                .whenScenarioStateIs("again")
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("ok"));
        registry.stubFor(blobGet()
                .inScenario("5xx")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(BLOB)));
        Path target = dir.resolve("layer.tar.gzip");

        assertThat(save(target)).isEqualTo(LayerSaver.Outcome.SAVED);

        assertThat(Files.readAllBytes(target)).isEqualTo(BLOB);
        assertThat(PartFileSink.partOf(target)).doesNotExist();
        assertThat(sleeps).hasSize(2);
        assertThat(sleeps.get(0)).isEqualTo(Duration.ofSeconds(2));
        // No Retry-After: exponential backoff, second attempt's ceiling is 20 ms, at least half of it.
        assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(10), Duration.ofMillis(20));
        registry.verify(3, getRequestedFor(urlPathEqualTo("/v2/foo/bar/blobs/" + DIGEST)));
    }

    @Test
    void rateLimitWithRetryAfterIsWaitedOutThenTheBlobIsSaved() throws Exception {
        registry.stubFor(blobGet()
                .inScenario("429")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1"))
                .willSetStateTo("ok"));
        registry.stubFor(blobGet()
                .inScenario("429")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(BLOB)));
        Path target = dir.resolve("layer");

        save(target);

        assertThat(Files.readAllBytes(target)).isEqualTo(BLOB);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1));
    }

    @Test
    void aWholeBodyShorterThanTheDescriptorIsASizeMismatchAtOnceWithoutRetries() {
        // The registry's copy is short: it says so in its own Content-Length and sends every byte of it.
        registry.stubFor(blobGet()
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Length", String.valueOf(HALF))
                        .withBody(slice(0, HALF))));
        Path target = dir.resolve("layer");

        assertThatThrownBy(() -> save(target))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DIGEST_MISMATCH))
                .hasMessageContaining("the registry served " + HALF + " bytes where the manifest says " + SIZE)
                .hasMessageContaining("retrying will not help");
        registry.verify(1, getRequestedFor(urlPathEqualTo("/v2/foo/bar/blobs/" + DIGEST)));
        assertThat(sleeps).isEmpty();
        assertThat(target).doesNotExist();
        assertThat(PartFileSink.partOf(target)).doesNotExist();
    }

    @Test
    void aChunkedBodyThatEndsShortOfTheDescriptorIsASizeMismatchToo() {
        registry.stubFor(blobGet()
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Transfer-Encoding", "chunked")
                        .withBody(slice(0, HALF))));
        Path target = dir.resolve("layer");

        assertThatThrownBy(() -> save(target))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DIGEST_MISMATCH))
                .hasMessageContaining("served " + HALF + " bytes");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void aResumeTheRegistryRefusesAsPastItsShortCopyIsASizeMismatchAfterOneFreshTry() throws Exception {
        // A .part from an earlier run holds more than the registry's copy has: the range is refused (416).
        Path target = dir.resolve("layer");
        int held = HALF + HALF / 2;
        Files.write(PartFileSink.partOf(target), slice(0, held));
        registry.stubFor(blobGet()
                .withHeader("Range", equalTo("bytes=" + held + "-"))
                .willReturn(aResponse().withStatus(416).withHeader("Content-Range", "bytes */" + HALF)));
        registry.stubFor(blobGet()
                .withHeader("Range", absent())
                .willReturn(aResponse().withStatus(200).withBody(slice(0, HALF))));

        assertThatThrownBy(() -> save(target))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DIGEST_MISMATCH))
                .hasMessageContaining("served " + HALF + " bytes where the manifest says " + SIZE);
        registry.verify(
                1,
                getRequestedFor(urlPathEqualTo("/v2/foo/bar/blobs/" + DIGEST)).withHeader("Range", absent()));
        assertThat(sleeps).isEmpty();
        assertThat(PartFileSink.partOf(target)).doesNotExist();
    }

    @Test
    void aRangeWhoseTotalIsNotTheDescriptorsSizeIsASizeMismatch() throws Exception {
        Path target = dir.resolve("layer");
        Files.write(PartFileSink.partOf(target), slice(0, HALF));
        registry.stubFor(blobGet()
                .withHeader("Range", equalTo("bytes=" + HALF + "-"))
                .willReturn(aResponse()
                        .withStatus(206)
                        .withHeader("Content-Range", "bytes " + HALF + "-" + (SIZE - 2) + "/" + (SIZE - 1))
                        .withBody(slice(HALF, SIZE - 1))));
        registry.stubFor(blobGet()
                .withHeader("Range", absent())
                .willReturn(aResponse().withStatus(200).withBody(slice(0, SIZE - 1))));

        assertThatThrownBy(() -> save(target))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DIGEST_MISMATCH))
                .hasMessageContaining("served " + (SIZE - 1) + " bytes where the manifest says " + SIZE);
        // The 206 was refused on its header, before its body; the fresh start then got the whole short copy.
        registry.verify(
                1,
                getRequestedFor(urlPathEqualTo("/v2/foo/bar/blobs/" + DIGEST)).withHeader("Range", absent()));
        assertThat(sleeps).isEmpty();
    }

    @Test
    void connectionResetBeforeTheBodyIsRetried() throws Exception {
        registry.stubFor(blobGet()
                .inScenario("reset")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("garbage"));
        registry.stubFor(blobGet()
                .inScenario("reset")
                .whenScenarioStateIs("garbage")
                .willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE))
                .willSetStateTo("ok"));
        registry.stubFor(blobGet()
                .inScenario("reset")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(BLOB)));
        Path target = dir.resolve("layer");

        save(target);

        assertThat(Files.readAllBytes(target)).isEqualTo(BLOB);
        assertThat(sleeps).isNotEmpty();
    }

    @Test
    void connectionDroppedMidBodyIsResumedFromTheBytesReceived() throws Exception {
        // Promises the whole blob, sends half, then the connection dies (the body is shorter than Content-Length).
        registry.stubFor(blobGet()
                .inScenario("mid")
                .whenScenarioStateIs(Scenario.STARTED)
                .withHeader("Range", absent())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Length", String.valueOf(SIZE))
                        .withBody(slice(0, HALF)))
                .willSetStateTo("rest"));
        registry.stubFor(blobGet()
                .inScenario("mid")
                .whenScenarioStateIs("rest")
                .withHeader("Range", equalTo("bytes=" + HALF + "-"))
                .willReturn(aResponse()
                        .withStatus(206)
                        .withHeader("Content-Range", "bytes " + HALF + "-" + (SIZE - 1) + "/" + SIZE)
                        .withBody(slice(HALF, SIZE))));
        Path target = dir.resolve("layer");

        save(target);

        assertThat(Files.readAllBytes(target)).isEqualTo(BLOB);
        registry.verify(getRequestedFor(urlPathEqualTo("/v2/foo/bar/blobs/" + DIGEST))
                .withHeader("Range", equalTo("bytes=" + HALF + "-")));
    }

    @Test
    void aDownloadThatStallsLongerThanTheReadTimeoutIsResumedWithANotice() throws Exception {
        // A server of its own: WireMock cannot send headers and half a body, then fall silent.
        try (java.net.ServerSocket server =
                new java.net.ServerSocket(0, 2, java.net.InetAddress.getLoopbackAddress())) {
            java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
            Thread serving = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        java.net.Socket socket = server.accept();
                        boolean first = connections.getAndIncrement() == 0;
                        Thread handler = new Thread(() -> serveBlob(socket, first));
                        handler.setDaemon(true);
                        handler.start();
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
            serving.setDaemon(true);
            serving.start();
            List<String> notices = new ArrayList<>();
            RegistryClient client = RegistryClient.builder()
                    .retryPolicy(policy())
                    .retryNotices(notices::add)
                    .clock(clock)
                    .readTimeout(Duration.ofMillis(500))
                    .build();
            ImageReference ref = ImageReference.parse("127.0.0.1:" + server.getLocalPort() + "/foo/bar:latest");
            Path target = dir.resolve("layer");

            new LayerSaver(new BlobFetcher(client, client.retryPolicy()))
                    .save(ref, descriptor(DIGEST, SIZE), target, false, FetchProgress.none());

            assertThat(Files.readAllBytes(target)).isEqualTo(BLOB);
            assertThat(notices)
                    .containsExactly("downloading blob " + DIGEST + " of 127.0.0.1:" + server.getLocalPort()
                            + "/foo/bar stalled (no data in time); trying again from byte " + HALF
                            + " (attempt 2 of 4)");
        }
    }

    /** The whole blob; or, on the first connection, headers and half of it, then silence past the read timeout. */
    private static void serveBlob(java.net.Socket socket, boolean stall) {
        try (socket) {
            readRequestHeaders(socket.getInputStream());
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + SIZE + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            if (stall) {
                out.write(slice(0, HALF));
                out.flush();
                Thread.sleep(2_000);
            } else {
                out.write(BLOB);
            }
        } catch (Exception e) {
            // The client gave up on this connection: that is the point of the stall.
        }
    }

    private static void readRequestHeaders(java.io.InputStream in) throws java.io.IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; matched < 4 && (b = in.read()) >= 0; ) {
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
        }
    }

    @Test
    @Timeout(60)
    void aServerThatSendsAFewBytesThenDropsEveryTimeGivesUpAfterThePolicysAttempts() throws Exception {
        try (DroppingBlobServer server = new DroppingBlobServer(BLOB, 3)) {
            Path target = dir.resolve("layer");

            assertThatThrownBy(() -> saveFrom(server.port(), BLOB, target))
                    .isInstanceOfSatisfying(
                            RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NETWORK))
                    .hasMessageContaining("failed after 4 attempts at byte 12 of " + SIZE);
            assertThat(server.connections())
                    .as("three bytes of progress earn no fresh attempts")
                    .isEqualTo(4);
        }
    }

    @Test
    @Timeout(60)
    void aServerThatDropsAfterEachMebibyteAndAHalfIsFollowedToTheEnd() throws Exception {
        byte[] blob = new byte[9 << 20];
        new Random(7).nextBytes(blob);
        try (DroppingBlobServer server = new DroppingBlobServer(blob, 3 << 19)) {
            Path target = dir.resolve("layer");

            saveFrom(server.port(), blob, target);

            assertThat(Files.readAllBytes(target)).isEqualTo(blob);
            assertThat(server.connections())
                    .as("five drops, more than the policy's 4 attempts")
                    .isEqualTo(6);
        }
    }

    private void saveFrom(int port, byte[] blob, Path target) throws Exception {
        RegistryClient client = client();
        new LayerSaver(new BlobFetcher(client, policy()))
                .save(
                        ImageReference.parse("127.0.0.1:" + port + "/foo/bar:latest"),
                        descriptor(Digest.sha256(blob).toString(), blob.length),
                        target,
                        false,
                        FetchProgress.none());
    }

    /**
     * Serves one blob, honouring {@code Range: bytes=N-}, but closes every connection after {@code perConnection}
     * bytes of body: a server of its own, since WireMock cannot cut a body at a byte count on every request.
     */
    private static final class DroppingBlobServer implements AutoCloseable {
        private final java.net.ServerSocket socket;
        private final java.util.concurrent.atomic.AtomicInteger connections =
                new java.util.concurrent.atomic.AtomicInteger();

        DroppingBlobServer(byte[] blob, int perConnection) throws java.io.IOException {
            socket = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress());
            Thread serving = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (java.net.Socket client = socket.accept()) {
                        connections.incrementAndGet();
                        long from = rangeStart(client.getInputStream());
                        String head = from == 0
                                ? "HTTP/1.1 200 OK\r\n"
                                : "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + from + "-"
                                        + (blob.length - 1) + "/" + blob.length + "\r\n";
                        java.io.OutputStream out = client.getOutputStream();
                        out.write((head + "Content-Length: " + (blob.length - from) + "\r\nConnection: close\r\n\r\n")
                                .getBytes(StandardCharsets.US_ASCII));
                        out.write(blob, (int) from, (int) Math.min(perConnection, blob.length - from));
                        out.flush();
                    } catch (java.io.IOException e) {
                        // closed by close(), or the client went away: either way, next connection
                    }
                }
            });
            serving.setDaemon(true);
            serving.start();
        }

        /** Reads the request's headers; the N of a {@code Range: bytes=N-} among them, else 0. */
        private static long rangeStart(java.io.InputStream in) throws java.io.IOException {
            StringBuilder headers = new StringBuilder();
            for (int b; (b = in.read()) >= 0; ) {
                headers.append((char) b);
                if (headers.toString().endsWith("\r\n\r\n")) {
                    break;
                }
            }
            java.util.regex.Matcher range =
                    java.util.regex.Pattern.compile("(?i)range: bytes=(\\d+)-").matcher(headers);
            return range.find() ? Long.parseLong(range.group(1)) : 0;
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws java.io.IOException {
            socket.close();
        }
    }

    @Test
    void serverWithoutRangeSupportResumesByDiscardingTheBytesAlreadyHeld() throws Exception {
        Path target = dir.resolve("layer");
        Files.write(PartFileSink.partOf(target), slice(0, HALF));
        // Whatever the Range header says, the whole blob comes back as a 200.
        registry.stubFor(blobGet().willReturn(aResponse().withStatus(200).withBody(BLOB)));

        save(target);

        assertThat(Files.readAllBytes(target)).isEqualTo(BLOB);
        assertThat(PartFileSink.partOf(target)).doesNotExist();
        registry.verify(
                1,
                getRequestedFor(urlPathEqualTo("/v2/foo/bar/blobs/" + DIGEST))
                        .withHeader("Range", equalTo("bytes=" + HALF + "-")));
    }

    @Test
    void wrongBytesOfTheRightSizeAreADigestMismatchAndLeaveNoFile() {
        byte[] other = BLOB.clone();
        other[SIZE - 1] ^= 1;
        registry.stubFor(blobGet().willReturn(aResponse().withStatus(200).withBody(other)));
        Path target = dir.resolve("layer");

        assertThatThrownBy(() -> save(target))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DIGEST_MISMATCH))
                .hasMessageContaining(DIGEST)
                .hasMessageContaining(Digest.sha256(other).toString());
        assertThat(target).doesNotExist();
        assertThat(PartFileSink.partOf(target)).doesNotExist();
    }

    @Test
    void aBodyLongerThanTheDescriptorIsADigestMismatchAndLeavesNoFile() {
        byte[] longer = Arrays.copyOf(BLOB, SIZE + 10);
        registry.stubFor(blobGet().willReturn(aResponse().withStatus(200).withBody(longer)));
        Path target = dir.resolve("layer");

        assertThatThrownBy(() -> save(target))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DIGEST_MISMATCH))
                .hasMessageContaining("longer than the " + SIZE + " bytes");
        assertThat(target).doesNotExist();
        assertThat(PartFileSink.partOf(target)).doesNotExist();
    }

    @Test
    void aStalePartWithOtherBytesIsStartedOverOnce() throws Exception {
        Path target = dir.resolve("layer");
        byte[] stale = slice(0, HALF);
        stale[0] ^= 1;
        Files.write(PartFileSink.partOf(target), stale);
        registry.stubFor(blobGet()
                .withHeader("Range", equalTo("bytes=" + HALF + "-"))
                .willReturn(aResponse()
                        .withStatus(206)
                        .withHeader("Content-Range", "bytes " + HALF + "-" + (SIZE - 1) + "/" + SIZE)
                        .withBody(slice(HALF, SIZE))));
        registry.stubFor(blobGet()
                .withHeader("Range", absent())
                .willReturn(aResponse().withStatus(200).withBody(BLOB)));

        save(target);

        assertThat(Files.readAllBytes(target)).isEqualTo(BLOB);
    }

    @Test
    void retriesExhaustedMidBodyKeepThePartAndSayToRunAgain() throws Exception {
        registry.stubFor(blobGet()
                .withHeader("Range", absent())
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Length", String.valueOf(SIZE))
                        .withBody(slice(0, HALF))));
        registry.stubFor(blobGet()
                .withHeader("Range", equalTo("bytes=" + HALF + "-"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Path target = dir.resolve("layer");

        assertThatThrownBy(() -> save(target))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NETWORK))
                .hasMessageContaining("run the command again to resume");
        assertThat(target).doesNotExist();
        assertThat(PartFileSink.partOf(target)).hasSize(HALF);

        // The next run resumes from the .part.
        registry.resetAll();
        registry.stubFor(blobGet()
                .withHeader("Range", equalTo("bytes=" + HALF + "-"))
                .willReturn(aResponse()
                        .withStatus(206)
                        .withHeader("Content-Range", "bytes " + HALF + "-" + (SIZE - 1) + "/" + SIZE)
                        .withBody(slice(HALF, SIZE))));
        save(target);
        assertThat(Files.readAllBytes(target)).isEqualTo(BLOB);
    }

    @Test
    void connectionAlwaysResetIsANetworkFailureThatKeepsNoFile() {
        registry.stubFor(blobGet().willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        Path target = dir.resolve("layer");

        assertThatThrownBy(() -> save(target))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NETWORK))
                .hasMessageContaining("run the command again");
        assertThat(target).doesNotExist();
        assertThat(PartFileSink.partOf(target)).doesNotExist();
    }

    @Test
    void aServerErrorBeforeTheFirstByteLeavesNoPart() {
        registry.stubFor(blobGet().willReturn(aResponse().withStatus(500).withBody("oops")));
        Path target = dir.resolve("layer");

        assertThatThrownBy(() -> save(target))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR));
        assertThat(target).doesNotExist();
        assertThat(PartFileSink.partOf(target)).doesNotExist();
    }

    @Test
    void garbageInsteadOfAnHttpAnswerLeavesNoPart() {
        registry.stubFor(blobGet().willReturn(aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE)));
        Path target = dir.resolve("layer");

        assertThatThrownBy(() -> save(target))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NETWORK));
        assertThat(PartFileSink.partOf(target)).doesNotExist();
    }

    @Test
    void aPartWithBytesIsKeptWhenItsResumeFailsBeforeTheFirstNewByte() throws Exception {
        Path target = dir.resolve("layer");
        Files.write(PartFileSink.partOf(target), slice(0, HALF));
        registry.stubFor(blobGet().willReturn(aResponse().withStatus(500)));

        assertThatThrownBy(() -> save(target))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR));
        assertThat(Files.readAllBytes(PartFileSink.partOf(target))).isEqualTo(slice(0, HALF));
    }

    private void requireToken(int expiresIn) {
        registry.stubFor(get(urlPathEqualTo("/token"))
                .inScenario("tokens")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"token\":\"tok-1\",\"expires_in\":" + expiresIn + "}"))
                .willSetStateTo("second"));
        registry.stubFor(get(urlPathEqualTo("/token"))
                .inScenario("tokens")
                .whenScenarioStateIs("second")
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"token\":\"tok-2\",\"expires_in\":" + expiresIn + "}")));
        registry.stubFor(blobGet()
                .withHeader("Authorization", absent())
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader(
                                "WWW-Authenticate",
                                "Bearer realm=\"http://127.0.0.1:" + registry.port() + "/token\",service=\"wm\"")));
    }

    @Test
    void aTokenThatExpiresMidRunIsRenewedBeforeTheNextRequest() throws Exception {
        requireToken(1);
        registry.stubFor(blobGet()
                .withHeader("Authorization", equalTo("Bearer tok-1"))
                .willReturn(aResponse().withStatus(200).withBody(BLOB)));
        registry.stubFor(blobGet()
                .withHeader("Authorization", equalTo("Bearer tok-2"))
                .willReturn(aResponse().withStatus(200).withBody(BLOB)));
        RegistryClient client = client();
        LayerSaver saver = new LayerSaver(new BlobFetcher(client, policy()));

        saver.save(ref(), descriptor(DIGEST, SIZE), dir.resolve("one"), false, FetchProgress.none());
        clock.advance(Duration.ofSeconds(2));
        saver.save(ref(), descriptor(DIGEST, SIZE), dir.resolve("two"), false, FetchProgress.none());

        registry.verify(2, getRequestedFor(urlPathEqualTo("/token")));
        registry.verify(
                1,
                getRequestedFor(urlPathEqualTo("/v2/foo/bar/blobs/" + DIGEST))
                        .withHeader("Authorization", equalTo("Bearer tok-2")));
        assertThat(Files.readAllBytes(dir.resolve("two"))).isEqualTo(BLOB);
    }

    @Test
    void aTokenTheRegistryRejectsEarlyIsRenewedOnce() throws Exception {
        requireToken(300);
        registry.stubFor(blobGet()
                .withHeader("Authorization", equalTo("Bearer tok-1"))
                .inScenario("revoked")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withBody(BLOB))
                .willSetStateTo("revoked"));
        registry.stubFor(blobGet()
                .withHeader("Authorization", equalTo("Bearer tok-1"))
                .inScenario("revoked")
                .whenScenarioStateIs("revoked")
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader(
                                "WWW-Authenticate",
                                "Bearer realm=\"http://127.0.0.1:" + registry.port() + "/token\",service=\"wm\"")));
        registry.stubFor(blobGet()
                .withHeader("Authorization", equalTo("Bearer tok-2"))
                .willReturn(aResponse().withStatus(200).withBody(BLOB)));
        RegistryClient client = client();
        LayerSaver saver = new LayerSaver(new BlobFetcher(client, policy()));

        saver.save(ref(), descriptor(DIGEST, SIZE), dir.resolve("one"), false, FetchProgress.none());
        saver.save(ref(), descriptor(DIGEST, SIZE), dir.resolve("two"), false, FetchProgress.none());

        registry.verify(2, getRequestedFor(urlPathEqualTo("/token")));
        assertThat(Files.readAllBytes(dir.resolve("two"))).isEqualTo(BLOB);
    }

    /** A clock the test moves by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
