package dev.regx.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.http.Fault;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of request goes through one retry pipeline: a fault at the manifest, the config or the token
 * server is retried as a blob download is, and the command ends as if nothing had happened; credentials never
 * follow a redirect to another origin, whatever the request.
 */
class RetriedRequestsCommandTest {
    @TempDir
    Path home;

    private final ScriptedRegistry scripted = new ScriptedRegistry();

    @AfterEach
    void stop() {
        scripted.close();
    }

    private CommandRun regx(String... args) {
        return CommandRun.run(home, args);
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder resetHalfwayThroughTheBody() {
        // The status line and headers arrive, then the body breaks off: the attempt began and did not finish.
        return aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK);
    }

    private void layersSucceeds() {
        CommandRun run = regx("layers", scripted.reference());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("ADD scripted");
        assertThat(run.errLines())
                .as("quick retries are for --verbose only, as for blobs")
                .singleElement()
                .asString()
                .contains("resolved to");
    }

    @Test
    void aResetHalfwayThroughTheManifestIsRetried() {
        scripted.failFirst(scripted.manifestPath, 1, resetHalfwayThroughTheBody());

        layersSucceeds();
        assertThat(scripted.authorizedRequests(scripted.manifestPath)).isEqualTo(2);
    }

    @Test
    void aManifestCutShortOfItsContentLengthIsRetried() {
        scripted.failFirst(
                scripted.manifestPath,
                1,
                aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", dev.regx.registry.manifest.MediaTypes.DOCKER_MANIFEST)
                        .withHeader("Content-Length", String.valueOf(scripted.manifest.length + 40))
                        .withBody(scripted.manifest));

        layersSucceeds();
        assertThat(scripted.authorizedRequests(scripted.manifestPath)).isEqualTo(2);
    }

    @Test
    void aResetHalfwayThroughTheConfigIsRetriedForLayersAndSave() throws Exception {
        scripted.failFirst(scripted.configPath, 1, resetHalfwayThroughTheBody());
        layersSucceeds();
        assertThat(scripted.authorizedRequests(scripted.configPath)).isEqualTo(2);

        scripted.failFirst(scripted.configPath, 1, resetHalfwayThroughTheBody());
        Path file = home.resolve("layer.tar.gz");
        CommandRun save = regx("save", scripted.reference(), "0", "-o", file.toString());
        assertThat(save.exitCode()).as(save.toString()).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(scripted.layer);
    }

    @Test
    void aResetHalfwayThroughTheTokenAnswerIsRetried() {
        scripted.failFirst(scripted.tokenPath, 1, resetHalfwayThroughTheBody());

        layersSucceeds();
        assertThat(scripted.requests(scripted.tokenPath)).isEqualTo(2);
    }

    @Test
    void aTokenServerAnswering503ThenATokenIsRetried() {
        scripted.failFirst(scripted.tokenPath, 1, aResponse().withStatus(503));

        layersSucceeds();
        assertThat(scripted.requests(scripted.tokenPath)).isEqualTo(2);
    }

    @Test
    void aTokenServerAnswering429WithRetryAfterIsWaitedForThenRetried() {
        scripted.failFirst(scripted.tokenPath, 1, aResponse().withStatus(429).withHeader("Retry-After", "1"));
        long start = System.nanoTime();

        layersSucceeds();
        assertThat(scripted.requests(scripted.tokenPath)).isEqualTo(2);
        assertThat(System.nanoTime() - start).as("Retry-After honoured").isGreaterThanOrEqualTo(1_000_000_000L);
    }

    @Test
    void aTraceShowsEachRetryOfARequest() {
        scripted.failFirst(scripted.manifestPath, 1, resetHalfwayThroughTheBody());

        CommandRun run = regx("layers", "--verbose", scripted.reference());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).containsPattern("(?m)^regx: ! .*; retrying in \\d+ ms$");
    }

    @Test
    void aManifestThatBreaksOffEveryTimeEndsInOneLineAndTheNetworkExitCode() {
        scripted.failAlways(scripted.manifestPath, resetHalfwayThroughTheBody());

        CommandRun run = regx("layers", scripted.reference());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(6);
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("regx: reading tag \"latest\" of " + scripted.repository() + " failed: ");
        assertThat(scripted.authorizedRequests(scripted.manifestPath)).isEqualTo(4);
    }

    @Test
    void aTokenServerFailingEveryTimeEndsInOneLineAndTheServerErrorExitCode() {
        scripted.failAlways(scripted.tokenPath, aResponse().withStatus(503));

        CommandRun run = regx("layers", scripted.reference());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(8);
        assertThat(run.errLines()).singleElement().asString().contains("token server", "HTTP 503");
        assertThat(scripted.requests(scripted.tokenPath)).isEqualTo(4);
    }

    @Test
    void aManifestRedirectedToAnotherOriginGetsNoAuthorization() {
        scripted.redirectToOtherOrigin(scripted.manifestPath, scripted.manifest);

        layersSucceeds();
        assertThat(scripted.otherOriginRequests(scripted.manifestPath)).isNotEmpty();
        assertThat(scripted.otherOriginRequestsWithAuthorization()).isEmpty();
    }

    @Test
    void aConfigRedirectedToAnotherOriginGetsNoAuthorization() {
        scripted.redirectToOtherOrigin(scripted.configPath, scripted.config);

        layersSucceeds();
        assertThat(scripted.otherOriginRequests(scripted.configPath)).hasSize(1);
        assertThat(scripted.otherOriginRequestsWithAuthorization()).isEmpty();
    }

    @Test
    void aLayerRedirectedToAnotherOriginGetsNoAuthorization() throws Exception {
        scripted.redirectToOtherOrigin(scripted.layerPath, scripted.layer);
        Path file = home.resolve("layer.tar.gz");

        CommandRun run = regx("save", scripted.reference(), "0", "-o", file.toString());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(Files.readAllBytes(file)).isEqualTo(scripted.layer);
        assertThat(scripted.otherOriginRequests(scripted.layerPath)).hasSize(1);
        assertThat(scripted.otherOriginRequestsWithAuthorization()).isEmpty();
    }

    @Test
    void aTagListRedirectedToAnotherOriginGetsNoAuthorization() {
        scripted.redirectToOtherOrigin(
                scripted.tagsPath, "{\"name\":\"scripted/img\",\"tags\":[\"latest\",\"v1\"]}".getBytes());

        CommandRun run = regx("tags", scripted.repository());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo("latest\nv1\n");
        assertThat(scripted.otherOriginRequests(scripted.tagsPath)).hasSize(1);
        assertThat(scripted.otherOriginRequestsWithAuthorization()).isEmpty();
    }

    @Test
    void aTokenRequestRedirectedToAnotherOriginLeavesTheCredentialsBehind() throws Exception {
        String auth = Base64.getEncoder().encodeToString("alice:secret".getBytes(StandardCharsets.UTF_8));
        Files.writeString(
                home.resolve("config.json"),
                "{\"auths\":{\"127.0.0.1:" + scripted.registry.port() + "\":{\"auth\":\"" + auth + "\"}}}");
        scripted.redirectToOtherOrigin(
                scripted.tokenPath, ("{\"token\":\"" + ScriptedRegistry.TOKEN + "\"}").getBytes());

        layersSucceeds();
        assertThat(scripted.otherOriginRequests(scripted.tokenPath)).hasSize(1);
        assertThat(scripted.otherOriginRequestsWithAuthorization()).isEmpty();
        assertThat(scripted.registry.findAll(com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor(
                                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(scripted.tokenPath))
                        .withHeader(
                                "Authorization",
                                com.github.tomakehurst.wiremock.client.WireMock.equalTo("Basic " + auth))))
                .as("the credentials went to the realm the registry named")
                .hasSize(1);
    }
}
