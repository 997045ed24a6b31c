package dev.regx.registry.client;

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
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.regx.registry.Digest;
import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.auth.Credential;
import dev.regx.registry.blob.VerifiedBlobStream;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.manifest.MediaTypes;
import dev.regx.registry.manifest.ResolvedImage;
import dev.regx.registry.transport.HttpResponseStream;
import dev.regx.registry.transport.RetryPolicy;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Faults a real registry will not produce on demand, against WireMock on loopback. */
class RegistryClientFaultTest {
    private static final String TOKEN = "tok-123";
    private WireMockServer registry;
    private WireMockServer cdn;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() {
        registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        cdn = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
        cdn.start();
    }

    @AfterEach
    void stop() {
        registry.stop();
        cdn.stop();
    }

    private RegistryClient client(Optional<Credential> credential) {
        return RegistryClient.builder()
                .credentials(r -> credential)
                .retryPolicy(policy())
                .readTimeout(Duration.ofSeconds(5))
                .build();
    }

    /** Three attempts, its sleeps recorded instead of slept. */
    private RetryPolicy policy() {
        return new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(30), sleeps::add);
    }

    /** An anonymous client telling {@code notices} about the retries that make the user wait. */
    private RegistryClient clientNoticing(List<String> notices, Duration readTimeout) {
        return RegistryClient.builder()
                .retryPolicy(policy())
                .retryNotices(notices::add)
                .readTimeout(readTimeout)
                .build();
    }

    private ImageReference ref(String repoAndTag) {
        return ImageReference.parse("127.0.0.1:" + registry.port() + "/" + repoAndTag);
    }

    private void requireToken() {
        registry.stubFor(get(urlPathEqualTo("/token"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"access_token\":\"" + TOKEN + "\",\"expires_in\":300}")));
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .withHeader("Authorization", absent())
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader(
                                "WWW-Authenticate",
                                "Bearer realm=\"http://127.0.0.1:" + registry.port()
                                        + "/token\" , service = \"wm,registry\"")));
    }

    /** Serves {@code body} as the Docker manifest of foo:latest, to anyone. */
    private void serveManifest(byte[] body) {
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", MediaTypes.DOCKER_MANIFEST)
                        .withBody(body)));
    }

    private static void isMalformedAnswer(Throwable e) {
        assertThat(e)
                .isInstanceOfSatisfying(
                        RegistryException.class, r -> assertThat(r.kind()).isEqualTo(Kind.MALFORMED_RESPONSE));
    }

    private static byte[] manifest(String configDigest, long configSize, String layerDigest, long layerSize) {
        return ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":"
                        + "\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" + configDigest
                        + "\",\"size\":" + configSize
                        + "},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\""
                        + layerDigest + "\",\"size\":" + layerSize + "}]}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void followsTheChallengeWithOddQuotingAndSendsTheToken() {
        requireToken();
        byte[] config =
                "{\"os\":\"linux\",\"architecture\":\"amd64\",\"history\":[{\"created_by\":\"ADD x\"}]}".getBytes();
        String configDigest = Digest.sha256(config).toString();
        byte[] manifest = manifest(configDigest, config.length, "sha256:" + "1".repeat(64), 42);
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", MediaTypes.DOCKER_MANIFEST)
                        .withBody(manifest)));
        registry.stubFor(get(urlPathEqualTo("/v2/foo/blobs/" + configDigest))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(200).withBody(config)));

        ResolvedImage image = client(Optional.empty()).resolve(ref("foo:latest"), Optional.empty());

        assertThat(image.manifestDigest()).isEqualTo(Digest.sha256(manifest).toString());
        assertThat(image.layers()).singleElement().satisfies(l -> {
            assertThat(l.size()).isEqualTo(42);
            assertThat(l.createdBy()).contains("ADD x");
        });
        registry.verify(getRequestedFor(urlPathEqualTo("/token"))
                .withQueryParam("service", equalTo("wm,registry"))
                .withQueryParam("scope", equalTo("repository:foo:pull"))
                .withHeader("Authorization", absent()));
    }

    @Test
    void aRegistryThatTakesLongerThanTheReadTimeoutIsRetriedWithANoticeEachTime() {
        byte[] manifest = manifest("sha256:" + "2".repeat(64), 2, "sha256:" + "3".repeat(64), 3);
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .inScenario("slow")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withBody(manifest).withFixedDelay(2_000))
                .willSetStateTo("quick"));
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .inScenario("slow")
                .whenScenarioStateIs("quick")
                .willReturn(aResponse().withStatus(200).withBody(manifest)));
        List<String> notices = new ArrayList<>();
        RegistryClient client = clientNoticing(notices, Duration.ofMillis(300));

        assertThat(client.manifest(ref("foo"), "latest").digest()).isEqualTo(Digest.sha256(manifest));
        assertThat(notices)
                .containsExactly(
                        "127.0.0.1:" + registry.port() + " did not answer in time; trying again (attempt 2 of 3)");
    }

    @Test
    void aLongRetryAfterIsNoticedAShortOneIsNot() {
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .inScenario("rl")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7"))
                .willSetStateTo("short"));
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .inScenario("rl")
                .whenScenarioStateIs("short")
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "1"))
                .willSetStateTo("ok"));
        byte[] manifest = manifest("sha256:" + "2".repeat(64), 2, "sha256:" + "3".repeat(64), 3);
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .inScenario("rl")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(manifest)));
        List<String> notices = new ArrayList<>();
        RegistryClient client = clientNoticing(notices, Duration.ofSeconds(5));

        assertThat(client.manifest(ref("foo"), "latest").digest()).isEqualTo(Digest.sha256(manifest));
        assertThat(sleeps).containsExactly(Duration.ofSeconds(7), Duration.ofSeconds(1));
        assertThat(notices)
                .containsExactly(
                        "127.0.0.1:" + registry.port() + " answered HTTP 429; trying again in 7 s (attempt 2 of 3)");
    }

    @Test
    void retriesA429HonouringRetryAfterThenSucceeds() {
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .inScenario("rl")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "2"))
                .willSetStateTo("ok"));
        byte[] manifest = manifest("sha256:" + "2".repeat(64), 2, "sha256:" + "3".repeat(64), 3);
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .inScenario("rl")
                .whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(200).withBody(manifest)));

        assertThat(client(Optional.empty()).manifest(ref("foo"), "latest").digest())
                .isEqualTo(Digest.sha256(manifest));
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void persistent429IsRateLimitedWithDockerHubHeadersInTheMessage() {
        registry.stubFor(
                get(urlPathEqualTo("/v2/foo/manifests/latest"))
                        .willReturn(
                                aResponse()
                                        .withStatus(429)
                                        .withHeader("Retry-After", "3600")
                                        .withHeader("ratelimit-limit", "100;w=21600")
                                        .withHeader("ratelimit-remaining", "0;w=21600")
                                        .withHeader("docker-ratelimit-source", "203.0.113.9")
                                        .withBody(
                                                "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your pull rate limit.\"}]}")));

        assertThatThrownBy(() -> client(Optional.empty()).manifest(ref("foo"), "latest"))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.RATE_LIMITED))
                .hasMessageContaining("retry after 3600 s")
                .hasMessageContaining("ratelimit-limit 100;w=21600")
                .hasMessageContaining("ratelimit-remaining 0;w=21600")
                .hasMessageContaining("TOOMANYREQUESTS");
        // An hour is beyond the cap: no waiting, no retry.
        assertThat(sleeps).isEmpty();
    }

    @Test
    void serverErrorsAreRetriedThenReported() {
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .willReturn(aResponse().withStatus(503)));

        assertThatThrownBy(() -> client(Optional.empty()).manifest(ref("foo"), "latest"))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.SERVER_ERROR))
                .hasMessageContaining("HTTP 503");
        assertThat(sleeps).hasSize(2);
        registry.verify(3, getRequestedFor(urlPathEqualTo("/v2/foo/manifests/latest")));
    }

    @Test
    void connectionResetsAreRetriedThenANetworkFailure() {
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        assertThatThrownBy(() -> client(Optional.empty()).manifest(ref("foo"), "latest"))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NETWORK))
                .hasMessageContaining("cannot reach");
        // Three attempts by our policy (the JDK may add one silent retry of its own per attempt).
        assertThat(sleeps).hasSize(2);
    }

    private void tokenAnswer(String json) {
        requireToken();
        registry.stubFor(get(urlPathEqualTo("/token"))
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", "application/json")
                        .withBody(json)));
    }

    @Test
    void aTokenWithALineBreakIsAMalformedAnswerAndIsNeverEchoed() {
        tokenAnswer("{\"token\":\"secret-part\\r\\nX-Injected: yes\",\"expires_in\":300}");

        assertThatThrownBy(() -> client(Optional.empty()).manifest(ref("foo"), "latest"))
                .satisfies(RegistryClientFaultTest::isMalformedAnswer)
                .hasMessageContaining("RFC 6750")
                .hasMessageNotContaining("secret-part")
                .hasMessageNotContaining("Injected");
        registry.verify(
                0,
                getRequestedFor(urlPathEqualTo("/v2/foo/manifests/latest"))
                        .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.matching(".*")));
    }

    @Test
    void aTokenLifetimeBeyondLongIsClampedNotAnOverflow() {
        tokenAnswer("{\"token\":\"" + TOKEN + "\",\"expires_in\":" + Long.MAX_VALUE + "}");
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse().withStatus(404)));

        assertThatThrownBy(() -> client(Optional.empty()).manifest(ref("foo"), "latest"))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND));
    }

    @Test
    void layerSizesThatAddUpBeyondLongAreMalformedNotANegativeTotal() {
        byte[] config = "{\"os\":\"linux\",\"architecture\":\"amd64\"}".getBytes(StandardCharsets.UTF_8);
        String configDigest = Digest.sha256(config).toString();
        String layer = "{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\"sha256:"
                + "1".repeat(64) + "\",\"size\":" + (Long.MAX_VALUE / 2 + 1) + "}";
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                        + "\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
                        + "\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":["
                        + layer + "," + layer + "]}")
                .getBytes(StandardCharsets.UTF_8);
        serveManifest(manifest);
        registry.stubFor(get(urlPathEqualTo("/v2/foo/blobs/" + configDigest))
                .willReturn(aResponse().withStatus(200).withBody(config)));

        assertThatThrownBy(() -> client(Optional.empty()).resolve(ref("foo:latest"), Optional.empty()))
                .satisfies(RegistryClientFaultTest::isMalformedAnswer)
                .hasMessageContaining("add up to more than");
    }

    @Test
    void aRedirectToALocationThatIsNoUrlIsMalformedNotTheUsersMistake() {
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .willReturn(aResponse().withStatus(307).withHeader("Location", "/v2/foo/x y\u001b[31m")));

        assertThatThrownBy(() -> client(Optional.empty()).manifest(ref("foo"), "latest"))
                .satisfies(RegistryClientFaultTest::isMalformedAnswer)
                .hasMessageContaining("not a valid URL")
                .hasMessageNotContaining("\u001b");
    }

    @Test
    void aManifestBodyBeyondTheLimitIsAMalformedAnswerNotANetworkFailure() {
        serveManifest(new byte[(4 << 20) + 1]);

        assertThatThrownBy(() -> client(Optional.empty()).manifest(ref("foo"), "latest"))
                .satisfies(RegistryClientFaultTest::isMalformedAnswer)
                .hasMessageContaining("larger than");
    }

    @Test
    void aConfigOfTensOfMebibytesIsRefusedBeforeItIsRead() {
        byte[] manifest = manifest("sha256:" + "4".repeat(64), 60 << 20, "sha256:" + "5".repeat(64), 5);
        serveManifest(manifest);

        assertThatThrownBy(() -> client(Optional.empty()).resolve(ref("foo:latest"), Optional.empty()))
                .satisfies(RegistryClientFaultTest::isMalformedAnswer)
                .hasMessageContaining("too large to be a config");
        registry.verify(0, getRequestedFor(urlPathEqualTo("/v2/foo/blobs/sha256:" + "4".repeat(64))));
    }

    @Test
    void garbageManifestIsMalformed() {
        serveManifest("{\"schemaVersion\":2,\"layers\":[{\"digest\":".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> client(Optional.empty()).manifest(ref("foo"), "latest"))
                .satisfies(RegistryClientFaultTest::isMalformedAnswer)
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void manifestWhoseDigestHeaderDisagreesIsRejected() {
        byte[] manifest = manifest("sha256:" + "2".repeat(64), 2, "sha256:" + "3".repeat(64), 3);
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Docker-Content-Digest", "sha256:" + "9".repeat(64))
                        .withBody(manifest)));

        assertThatThrownBy(() -> client(Optional.empty()).manifest(ref("foo"), "latest"))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DIGEST_MISMATCH));
    }

    @Test
    void aManifestDrippedSlowerThanAKibibytePerReadTimeoutFailsAsAStall() {
        byte[] manifest = manifest("sha256:" + "2".repeat(64), 2, "sha256:" + "3".repeat(64), 3);
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", MediaTypes.DOCKER_MANIFEST)
                        .withBody(manifest)
                        .withChunkedDribbleDelay(manifest.length / 10, 20_000)));
        // Two attempts: the stall inside the body is a failed attempt, retried like any other.
        RegistryClient client = RegistryClient.builder()
                .retryPolicy(new RetryPolicy(
                        2, Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(30), sleeps::add))
                .readTimeout(Duration.ofSeconds(1))
                .build();
        long start = System.nanoTime();

        assertThatThrownBy(() -> client.manifest(ref("foo"), "latest"))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.NETWORK))
                .hasMessageStartingWith("reading tag \"latest\" of 127.0.0.1:" + registry.port() + "/foo failed:")
                .hasMessageContaining("too slow to wait for");
        assertThat(sleeps).as("one retry").hasSize(1);
        registry.verify(2, getRequestedFor(urlPathEqualTo("/v2/foo/manifests/latest")));
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("well before the 20 s the whole body would take")
                .isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void redirectToAnotherOriginCarriesNoAuthorization() throws Exception {
        requireToken();
        String blob = "sha256:" + "4".repeat(64);
        registry.stubFor(get(urlPathEqualTo("/v2/foo/blobs/" + blob))
                .withHeader("Authorization", absent())
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader(
                                "WWW-Authenticate",
                                "Bearer realm=\"http://127.0.0.1:" + registry.port() + "/token\",service=\"wm\"")));
        registry.stubFor(get(urlPathEqualTo("/v2/foo/blobs/" + blob))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse()
                        .withStatus(307)
                        .withHeader("Location", "http://127.0.0.1:" + cdn.port() + "/data?sig=secret")));
        cdn.stubFor(get(urlPathEqualTo("/data"))
                .willReturn(aResponse().withStatus(200).withBody("hello")));

        Descriptor d = new Descriptor("application/octet-stream", blob, 5, List.of(), null, Map.of());
        try (HttpResponseStream response =
                client(Optional.of(Credential.basic("alice", "pw"))).openBlob(ref("foo"), d, 0)) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("hello");
        }
        cdn.verify(1, getRequestedFor(urlPathEqualTo("/data")).withHeader("Authorization", absent()));
        // The credential went to the token server the registry named, as Basic, and nowhere else.
        registry.verify(getRequestedFor(urlPathEqualTo("/token"))
                .withHeader(
                        "Authorization",
                        equalTo("Basic "
                                + java.util.Base64.getEncoder()
                                        .encodeToString("alice:pw".getBytes(StandardCharsets.UTF_8)))));
        registry.verify(
                0,
                getRequestedFor(urlPathEqualTo("/v2/foo/blobs/" + blob))
                        .withHeader(
                                "Authorization", com.github.tomakehurst.wiremock.client.WireMock.containing("Basic")));
    }

    @Test
    void unauthorizedAfterATokenIsReportedWithWhatToDo() {
        requireToken();
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader(
                                "WWW-Authenticate",
                                "Bearer realm=\"http://127.0.0.1:" + registry.port() + "/token\",service=\"wm\"")
                        .withBody(
                                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}")));

        assertThatThrownBy(() -> client(Optional.empty()).manifest(ref("foo"), "latest"))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED))
                .hasMessageContaining("does not exist or needs credentials")
                .hasMessageContaining("docker login")
                .hasMessageNotContaining(TOKEN);
    }

    @Test
    void basicChallengeIsAnsweredWithTheCredentialOnlyAtTheRegistry() {
        byte[] manifest = manifest("sha256:" + "2".repeat(64), 2, "sha256:" + "3".repeat(64), 3);
        String basic =
                "Basic " + java.util.Base64.getEncoder().encodeToString("bob:s3cret".getBytes(StandardCharsets.UTF_8));
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .withHeader("Authorization", absent())
                .atPriority(1)
                .willReturn(aResponse().withStatus(401).withHeader("WWW-Authenticate", "Basic realm=\"registry\"")));
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/latest"))
                .withHeader("Authorization", equalTo(basic))
                .willReturn(aResponse().withStatus(200).withBody(manifest)));

        assertThat(client(Optional.of(Credential.basic("bob", "s3cret")))
                        .manifest(ref("foo"), "latest")
                        .digest())
                .isEqualTo(Digest.sha256(manifest));
        assertThatThrownBy(() -> client(Optional.empty()).manifest(ref("foo"), "latest"))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.UNAUTHORIZED));
    }

    @Test
    void pinnedDigestThatTheRegistryDoesNotHonourIsAMismatch() {
        byte[] manifest = manifest("sha256:" + "2".repeat(64), 2, "sha256:" + "3".repeat(64), 3);
        String pinned = "sha256:" + "a".repeat(64);
        registry.stubFor(get(urlPathEqualTo("/v2/foo/manifests/" + pinned))
                .willReturn(aResponse().withStatus(200).withBody(manifest)));

        assertThatThrownBy(() -> client(Optional.empty()).resolve(ref("foo@" + pinned), Optional.empty()))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DIGEST_MISMATCH))
                .hasMessageContaining(pinned);
    }

    private static final byte[] PROMISED = "the layer the manifest names".getBytes(StandardCharsets.UTF_8);

    private static Descriptor promisedLayer() {
        return new Descriptor(
                "application/vnd.oci.image.layer.v1.tar+gzip",
                Digest.sha256(PROMISED).toString(),
                PROMISED.length,
                List.of(),
                null,
                Map.of());
    }

    private void serveLayer(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        registry.stubFor(
                get(urlPathEqualTo("/v2/foo/blobs/" + Digest.sha256(PROMISED))).willReturn(response));
    }

    @Test
    void aStreamedBlobWithWrongBytesFailsItsCheckAfterAReaderThatStoppedEarly() throws Exception {
        byte[] served = "the layer the registry sends".getBytes(StandardCharsets.UTF_8);
        serveLayer(aResponse().withStatus(200).withBody(served));

        try (VerifiedBlobStream blob =
                VerifiedBlobStream.open(client(Optional.empty()), ref("foo:latest"), promisedLayer())) {
            assertThat(blob.unclosable().readNBytes(4)).isEqualTo("the ".getBytes(StandardCharsets.UTF_8));
            assertThatThrownBy(blob::verifyRest)
                    .isInstanceOfSatisfying(
                            RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DIGEST_MISMATCH))
                    .hasMessageContaining("has digest " + Digest.sha256(served) + ", not " + Digest.sha256(PROMISED));
        }
    }

    @Test
    void aStreamedBlobServedWholeButShortIsASizeMismatchWhileABodyCutShortOfItsLengthIsANetworkFailure() {
        byte[] shortCopy = Arrays.copyOf(PROMISED, 20);
        serveLayer(
                aResponse().withStatus(200).withHeader("Content-Length", "20").withBody(shortCopy));
        assertThatThrownBy(() -> readWhole(promisedLayer()))
                .isInstanceOfSatisfying(
                        RegistryException.class, e -> assertThat(e.kind()).isEqualTo(Kind.DIGEST_MISMATCH))
                .hasMessageContaining("the registry served 20 bytes where the manifest says " + PROMISED.length);

        registry.resetAll();
        serveLayer(aResponse()
                .withStatus(200)
                .withHeader("Content-Length", String.valueOf(PROMISED.length))
                .withBody(shortCopy));
        assertThatThrownBy(() -> readWhole(promisedLayer()))
                .isInstanceOf(EOFException.class)
                .hasMessageContaining("after 20 of " + PROMISED.length + " bytes");
    }

    private void readWhole(Descriptor descriptor) throws Exception {
        try (VerifiedBlobStream blob =
                VerifiedBlobStream.open(client(Optional.empty()), ref("foo:latest"), descriptor)) {
            blob.unclosable().readAllBytes();
        }
    }
}
