package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.regx.registry.Digest;
import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.manifest.MediaTypes;
import dev.regx.registry.transport.RetryPolicy;
import dev.regx.testing.ForwardProxy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A registry that attacks, on loopback, and regx's answer to each attack, through the command line as a user
 * meets it: one line on stderr with the documented exit code, no stack trace, nothing unescaped echoed, no
 * credential where it does not belong, bounded reads of bodies that never end.
 */
class HostileRegistryTest {
    private static final String REPOSITORY = "hostile/image";
    private static final String CONFIG_TYPE = "application/vnd.docker.container.image.v1+json";
    private static final String GZIP_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    @TempDir
    Path home;

    private HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-registry");
        t.setDaemon(true);
        return t;
    });
    /** What each path answers; a path not here is a 404. */
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    /** "METHOD path Authorization-or-none" of every request, in order. */
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @FunctionalInterface
    private interface Answer {
        void send(HttpExchange exchange) throws IOException;
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                requests.add(exchange.getRequestMethod() + " "
                        + exchange.getRequestURI().getPath() + " "
                        + (auth == null ? "none" : auth.substring(0, auth.indexOf(' ') + 1) + "…"));
                Answer answer = answers.get(exchange.getRequestURI().getPath());
                if (answer == null) {
                    exchange.sendResponseHeaders(404, -1);
                } else {
                    answer.send(exchange);
                }
            } catch (IOException e) {
                // regx hung up on a body it would not read to the end: what these tests want of it
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        executor.shutdownNow();
    }

    private String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    private String image() {
        return host() + "/" + REPOSITORY + ":1";
    }

    private CommandRun regx(String... args) {
        return regx(Map.of(), args);
    }

    private CommandRun regx(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_CONFIG", home.toString());
        env.put("HOME", home.toString());
        env.putAll(extraEnv);
        return CommandRun.run(env, args);
    }

    /** Exit {@code code} with exactly one line on stderr, no stack trace in it, nothing on stdout. */
    private static void failsWithOneLine(CommandRun run, ExitCode code) {
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(code.code());
        assertThat(run.errLines()).as(run.toString()).hasSize(1);
        assertThat(run.err()).startsWith("regx: ").doesNotContain("Exception", "\tat ");
        assertThat(run.out()).isEmpty();
    }

    private static Answer whole(int status, String contentType, byte[] body) {
        return exchange -> {
            if (contentType != null) {
                exchange.getResponseHeaders().set("Content-Type", contentType);
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
        };
    }

    /** A chunked body: {@code start}, then {@code filler} for as long as the client reads. */
    private static Answer endless(String contentType, String start, String filler) {
        return exchange -> {
            exchange.getResponseHeaders().set("Content-Type", contentType);
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(start.getBytes(StandardCharsets.UTF_8));
            byte[] chunk = filler.repeat(64 * 1024 / filler.length()).getBytes(StandardCharsets.UTF_8);
            for (long sent = 0; sent < 1L << 32; sent += chunk.length) { // 4 GiB: "never", for a test
                out.write(chunk);
            }
        };
    }

    private void serveManifest(byte[] manifest) {
        answers.put("/v2/" + REPOSITORY + "/manifests/1", whole(200, MediaTypes.DOCKER_MANIFEST, manifest));
    }

    private static String descriptor(String mediaType, String digest, String size) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + "}";
    }

    private static byte[] manifest(String config, String... layers) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":" + config
                        + ",\"layers\":[" + String.join(",", layers) + "]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** Serves an image of {@code layers} (gzip blobs) with a config that matches them. */
    private void serveImage(byte[]... layers) {
        StringBuilder diffIds = new StringBuilder();
        String[] descriptors = new String[layers.length];
        for (int i = 0; i < layers.length; i++) {
            String digest = Digest.sha256(layers[i]).toString();
            diffIds.append(i == 0 ? "" : ",").append('"').append(digest).append('"');
            descriptors[i] = descriptor(GZIP_LAYER, digest, Integer.toString(layers[i].length));
            answers.put("/v2/" + REPOSITORY + "/blobs/" + digest, whole(200, null, layers[i]));
        }
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":["
                        + diffIds + "]}}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = Digest.sha256(config).toString();
        answers.put("/v2/" + REPOSITORY + "/blobs/" + configDigest, whole(200, null, config));
        serveManifest(manifest(descriptor(CONFIG_TYPE, configDigest, Integer.toString(config.length)), descriptors));
    }

    @Test
    void aManifestThatNeverEndsIsReadNoFurtherThanItsLimitThenExit7() {
        answers.put("/v2/" + REPOSITORY + "/manifests/1", endless(MediaTypes.DOCKER_MANIFEST, "{\"a\":\"", "x"));

        CommandRun run = regx("layers", image());

        failsWithOneLine(run, ExitCode.MALFORMED_RESPONSE);
    }

    @Test
    void aTokenAnswerThatNeverEndsIsExit7() {
        answers.put("/v2/" + REPOSITORY + "/manifests/1", exchange -> {
            exchange.getResponseHeaders()
                    .set("WWW-Authenticate", "Bearer realm=\"http://" + host() + "/token\",service=\"hostile\"");
            exchange.sendResponseHeaders(401, -1);
        });
        answers.put("/token", endless("application/json", "{\"token\":\"", "t"));

        CommandRun run = regx("layers", image());

        failsWithOneLine(run, ExitCode.MALFORMED_RESPONSE);
    }

    @Test
    void aConfigOfAHundredMebibytesWithoutALengthIsRefusedAtItsLimit() {
        String configDigest = "sha256:" + "c".repeat(64);
        serveManifest(manifest(descriptor(CONFIG_TYPE, configDigest, "104857600")));
        answers.put("/v2/" + REPOSITORY + "/blobs/" + configDigest, endless("application/json", "{\"a\":\"", "x"));

        CommandRun run = regx("layers", image());

        failsWithOneLine(run, ExitCode.MALFORMED_RESPONSE);
        assertThat(requests).noneMatch(r -> r.contains("/blobs/")); // refused by its declared size, before a read
    }

    @Test
    void aManifestOfAHundredThousandLayersIsExit7() {
        String layer = descriptor(GZIP_LAYER, "sha256:" + "a".repeat(64), "1");
        String[] layers = new String[100_000];
        Arrays.fill(layers, layer);
        serveManifest(manifest(descriptor(CONFIG_TYPE, "sha256:" + "c".repeat(64), "2"), layers));

        failsWithOneLine(regx("layers", image()), ExitCode.MALFORMED_RESPONSE);
    }

    @Test
    void jsonNestedTenThousandDeepIsExit7NotAStackOverflow() {
        serveManifest(("{\"schemaVersion\":2,\"x\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}")
                .getBytes(StandardCharsets.UTF_8));

        failsWithOneLine(regx("layers", image()), ExitCode.MALFORMED_RESPONSE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"123456789012345678901234567890", "-1", "1e3", "1.5", "9223372036854775808", "\"12\""})
    void aSizeThatIsNoLongIsExit7(String size) {
        serveManifest(manifest(
                descriptor(CONFIG_TYPE, "sha256:" + "c".repeat(64), "2"),
                descriptor(GZIP_LAYER, "sha256:" + "a".repeat(64), size)));

        failsWithOneLine(regx("layers", image()), ExitCode.MALFORMED_RESPONSE);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"sha256:../../../../v2/other/manifests/x", "md5:0123456789abcdef0123456789abcdef", "SHA256:AA"})
    void aDigestRegxCannotVerifyIsExit7AndNeverReachesAUrl(String digest) {
        String upper = "sha256:" + "A".repeat(64);
        for (String bad : new String[] {digest, upper}) {
            requests.clear();
            serveManifest(manifest(descriptor(CONFIG_TYPE, bad, "2")));

            CommandRun run = regx("ls", image(), "0");

            failsWithOneLine(run, ExitCode.MALFORMED_RESPONSE);
            assertThat(requests).allMatch(r -> r.startsWith("GET /v2/ ") || r.contains("/manifests/1 "));
        }
    }

    @Test
    void textFromTheRegistryIsEscapedInErrorsAndInTheVerboseTrace() {
        String hostile = "\u001b[2J\u001b]52;c;cGF3bmVk\u0007\rforged\u202etxt.exe";
        answers.put(
                "/v2/" + REPOSITORY + "/manifests/1",
                whole(
                        404,
                        "application/json",
                        ("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\""
                                        + hostile.replace("\u001b", "\\u001b")
                                                .replace("\u0007", "\\u0007")
                                                .replace("\r", "\\r")
                                        + "\"}]}")
                                .getBytes(StandardCharsets.UTF_8)));
        answers.put(
                "/v2/" + REPOSITORY + "/manifests/2",
                whole(
                        200,
                        null,
                        ("{\"schemaVersion\":2,\"mediaType\":\"application/"
                                        + hostile.replace("\u001b", "\\u001b")
                                                .replace("\u0007", "\\u0007")
                                                .replace("\r", "\\r")
                                        + "\"}")
                                .getBytes(StandardCharsets.UTF_8)));

        CommandRun notFound = regx("layers", "--verbose", image());
        CommandRun badType = regx("layers", "--verbose", host() + "/" + REPOSITORY + ":2");

        assertThat(notFound.exitCode()).as(notFound.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(notFound.err()).contains("forged");
        assertThat(badType.exitCode()).as(badType.toString()).isEqualTo(ExitCode.MALFORMED_RESPONSE.code());
        assertThat(badType.err()).contains("forged");
        for (CommandRun run : List.of(notFound, badType)) {
            assertThat(run.err()).doesNotContain("\u001b", "\u0007", "\r", "\u202e");
        }
    }

    @Test
    void aPasswordNeverGoesOverPlainHttpToATokenServerOnAnotherHost() throws Exception {
        // The realm names a host that is not this machine (the proxy maps it to this server): a password sent there
        // would cross the network in the clear. regx asks it anonymously instead, as the README says.
        String tokenHost = "token.elsewhere.test:" + server.getAddress().getPort();
        try (ForwardProxy proxy = ForwardProxy.start(Map.of(tokenHost, host()))) {
            answers.put("/v2/" + REPOSITORY + "/manifests/1", exchange -> {
                exchange.getResponseHeaders()
                        .set("WWW-Authenticate", "Bearer realm=\"http://" + tokenHost + "/token\",service=\"hostile\"");
                exchange.sendResponseHeaders(401, -1);
            });
            answers.put("/token", whole(401, "application/json", "{}".getBytes(StandardCharsets.UTF_8)));
            Files.writeString(
                    home.resolve("config.json"),
                    "{\"auths\":{\"" + host() + "\":{\"auth\":\"YWxpY2U6YWxpY2UtcGFzcw==\"}}}");

            CommandRun run = regx(Map.of("HTTP_PROXY", proxy.url()), "layers", image());

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.UNAUTHORIZED.code());
            assertThat(proxy.requests()).anyMatch(r -> r.startsWith("GET http://" + tokenHost + "/token"));
            assertThat(requests).filteredOn(r -> r.startsWith("GET /token")).containsOnly("GET /token none");
            assertThat(run.err()).doesNotContain("alice-pass", "YWxpY2U6YWxpY2UtcGFzcw==");
        }
    }

    @Test
    void aGzipBombOfOneHugeFileIsInflatedToTheEndAndTheEntryAfterItListed() throws IOException {
        // 256 MiB of zeros in one file, then a second entry: a blob of a quarter of a MiB. ls inflates the whole
        // stream (the entry after the huge one must be listed, and the blob's digest covers every byte), but
        // skips contents through a fixed buffer: memory stays flat, and the time is what inflating takes, as
        // for `tar tz` (about a second per GB of zeros).
        long huge = 256L << 20;
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(blob, 1 << 16))) {
            TarArchiveEntry big = new TarArchiveEntry("zeros");
            big.setSize(huge);
            tar.putArchiveEntry(big);
            byte[] zeros = new byte[1 << 20];
            for (long written = 0; written < huge; written += zeros.length) {
                tar.write(zeros);
            }
            tar.closeArchiveEntry();
            TarArchiveEntry after = new TarArchiveEntry("after-the-bomb");
            after.setSize(3);
            tar.putArchiveEntry(after);
            tar.write(new byte[] {'o', 'k', '\n'});
            tar.closeArchiveEntry();
        }
        assertThat(blob.size()).isLessThan(1 << 20);
        serveImage(blob.toByteArray());

        CommandRun run = regx("ls", image(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines()).hasSize(2);
        assertThat(run.out()).contains(" " + huge + " ").contains("after-the-bomb");
    }

    @Test
    void aGzipBombOfZerosIsAnEmptyLayerReadToItsEnd() throws IOException {
        // Zeros are a tar's end-of-archive blocks: no entry, and the rest of the blob is still read and hashed.
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(blob, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 256; i++) {
                gzip.write(zeros);
            }
        }
        serveImage(blob.toByteArray());

        CommandRun run = regx("ls", image(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aBlobDrippedFourBytesASecondIsAStallOnceAReadTimeoutHasPassed() throws Exception {
        // As the manifest drip in RegistryClientFaultTest: a body that never stops but never amounts to anything
        // is no better than silence. (Resuming a download after a stall, with its notice: LayerSaverFaultTest.)
        byte[] blob = new byte[1024];
        Descriptor layer =
                new Descriptor(GZIP_LAYER, Digest.sha256(blob).toString(), blob.length, List.of(), null, Map.of());
        answers.put("/v2/" + REPOSITORY + "/blobs/" + layer.digest(), exchange -> {
            exchange.sendResponseHeaders(200, blob.length);
            OutputStream out = exchange.getResponseBody();
            for (byte b : blob) {
                out.write(b);
                out.flush();
                sleep(250);
            }
        });
        RegistryClient client =
                RegistryClient.builder().readTimeout(Duration.ofSeconds(1)).build();
        long start = System.nanoTime();

        try (InputStream body =
                client.openBlob(ImageReference.parse(image()), layer, 0).body()) {
            // A byte every 250 ms never lets the socket's own read timeout fire (unless the machine stalls the reader
            // for a second): the stall guard does, and both say the read timed out.
            assertThatThrownBy(body::readAllBytes).isInstanceOf(SocketTimeoutException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
    }

    /** Answers {@code status} with {@code retryAfter} once, then the manifest of a one-layer image. */
    private void serveAfterOne(int status, String retryAfter) {
        byte[] manifest = manifest(
                descriptor(CONFIG_TYPE, "sha256:" + "c".repeat(64), "2"),
                descriptor(GZIP_LAYER, "sha256:" + "a".repeat(64), "3"));
        java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
        answers.put("/v2/" + REPOSITORY + "/manifests/1", exchange -> {
            if (first.getAndSet(false)) {
                exchange.getResponseHeaders().set("Retry-After", retryAfter);
                exchange.sendResponseHeaders(status, -1);
            } else {
                whole(200, MediaTypes.DOCKER_MANIFEST, manifest).send(exchange);
            }
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void aRetryAfterOfAYearIsNotWaitedForButReportedAtOnce(int status) {
        serveAfterOne(status, Long.toString(365L * 24 * 3600));
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        List<String> notices = new CopyOnWriteArrayList<>();
        RegistryClient client = RegistryClient.builder()
                .retryPolicy(new RetryPolicy(
                        4, Duration.ofMillis(250), Duration.ofSeconds(8), Duration.ofSeconds(30), sleeps::add))
                .retryNotices(notices::add)
                .build();

        assertThatThrownBy(() -> client.manifest(ImageReference.parse(image()), "1"))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(status == 429 ? Kind.RATE_LIMITED : Kind.SERVER_ERROR))
                .hasMessageContaining("31536000");
        assertThat(sleeps).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"-5", "Tue, 01 Jan 2019 00:00:00 GMT", "99999999999999999999999", "soon"})
    void aRetryAfterThatIsNegativeInThePastOrNonsenseGetsRegxsOwnShortBackoff(String retryAfter) {
        serveAfterOne(429, retryAfter);
        List<Duration> sleeps = new CopyOnWriteArrayList<>();
        RegistryClient client = RegistryClient.builder()
                .retryPolicy(new RetryPolicy(
                        4, Duration.ofMillis(250), Duration.ofSeconds(8), Duration.ofSeconds(30), sleeps::add))
                .build();

        assertThat(client.manifest(ImageReference.parse(image()), "1").layers()).hasSize(1);
        assertThat(sleeps)
                .singleElement()
                .satisfies(d -> assertThat(d).isBetween(Duration.ofMillis(125), Duration.ofMillis(250)));
    }
}
