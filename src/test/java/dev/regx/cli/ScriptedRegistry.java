package dev.regx.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.regx.registry.Digest;
import dev.regx.registry.manifest.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A token-auth registry on loopback (WireMock) serving one sound image, {@code scripted/img:latest}, with a
 * token server on the same origin and a second server on another origin (a CDN): a script of faults a real
 * registry will not produce (a reset halfway through a body, a body cut short of its length, 503s and 429s at
 * the token server) and of redirects to the other origin, each for one kind of request.
 */
final class ScriptedRegistry implements AutoCloseable {
    static final String TOKEN = "scripted-token";
    private static final String REPOSITORY = "scripted/img";

    final WireMockServer registry;
    final WireMockServer cdn;
    final byte[] manifest;
    final byte[] config;
    final byte[] layer;
    final String manifestPath;
    final String configPath;
    final String layerPath;
    final String tagsPath = "/v2/" + REPOSITORY + "/tags/list";
    final String tokenPath = "/token";
    private final String tokenAnswer = "{\"token\":\"" + TOKEN + "\",\"expires_in\":300}";
    private final byte[] tags = ("{\"name\":\"" + REPOSITORY + "\",\"tags\":[\"latest\",\"v1\"]}").getBytes();

    ScriptedRegistry() {
        registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        cdn = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
        cdn.start();
        layer = "the layer's bytes, not a tar: save only hashes them".getBytes(StandardCharsets.UTF_8);
        String layerDigest = Digest.sha256(layer).toString();
        config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                        + layerDigest + "\"]},\"history\":[{\"created_by\":\"ADD scripted /\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = Digest.sha256(config).toString();
        manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                        + "\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
                        + "\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":[{"
                        + "\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\""
                        + layerDigest + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        manifestPath = "/v2/" + REPOSITORY + "/manifests/latest";
        configPath = "/v2/" + REPOSITORY + "/blobs/" + configDigest;
        layerPath = "/v2/" + REPOSITORY + "/blobs/" + layerDigest;

        // Without the token: the challenge. With it: the image.
        registry.stubFor(get(urlPathMatching("/v2/.*"))
                .atPriority(10)
                .willReturn(aResponse()
                        .withStatus(401)
                        .withHeader(
                                "WWW-Authenticate",
                                "Bearer realm=\"" + registryUrl() + tokenPath + "\",service=\"scripted\"")));
        registry.stubFor(get(urlPathEqualTo(tokenPath)).atPriority(5).willReturn(json(tokenAnswer.getBytes())));
        registry.stubFor(authorized(manifestPath, 5)
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", MediaTypes.DOCKER_MANIFEST)
                        .withBody(manifest)));
        registry.stubFor(
                authorized(configPath, 5).willReturn(aResponse().withStatus(200).withBody(config)));
        registry.stubFor(
                authorized(layerPath, 5).willReturn(aResponse().withStatus(200).withBody(layer)));
        registry.stubFor(authorized(tagsPath, 5).willReturn(json(tags)));
    }

    private static ResponseDefinitionBuilder json(byte[] body) {
        return aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
    }

    private static com.github.tomakehurst.wiremock.client.MappingBuilder authorized(String path, int priority) {
        return get(urlPathEqualTo(path))
                .withHeader("Authorization", equalTo("Bearer " + TOKEN))
                .atPriority(priority);
    }

    private String registryUrl() {
        return "http://127.0.0.1:" + registry.port();
    }

    String reference() {
        return "127.0.0.1:" + registry.port() + "/" + REPOSITORY + ":latest";
    }

    String repository() {
        return "127.0.0.1:" + registry.port() + "/" + REPOSITORY;
    }

    /** The first {@code times} requests for {@code path} (authorized ones, but for the token path) get {@code fault}. */
    ScriptedRegistry failFirst(String path, int times, ResponseDefinitionBuilder fault) {
        String scenario = "fault at " + path;
        for (int i = 0; i < times; i++) {
            var stub = (path.equals(tokenPath) ? get(urlPathEqualTo(path)).atPriority(1) : authorized(path, 1))
                    .inScenario(scenario)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "failed " + i)
                    .willSetStateTo("failed " + (i + 1))
                    .willReturn(fault);
            registry.stubFor(stub);
        }
        return this;
    }

    /** Every request for {@code path} gets {@code fault}. */
    ScriptedRegistry failAlways(String path, ResponseDefinitionBuilder fault) {
        registry.stubFor((path.equals(tokenPath) ? get(urlPathEqualTo(path)).atPriority(1) : authorized(path, 1))
                .willReturn(fault));
        return this;
    }

    /** {@code path} answers 307 to the same path on the other origin, which serves what the registry would. */
    ScriptedRegistry redirectToOtherOrigin(String path, byte[] body) {
        registry.stubFor((path.equals(tokenPath) ? get(urlPathEqualTo(path)).atPriority(1) : authorized(path, 1))
                .willReturn(aResponse()
                        .withStatus(307)
                        .withHeader("Location", "http://127.0.0.1:" + cdn.port() + path + "?signature=s")));
        cdn.stubFor(get(urlPathEqualTo(path))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader(
                                "Content-Type",
                                path.equals(manifestPath) ? MediaTypes.DOCKER_MANIFEST : "application/json")
                        .withBody(body)));
        return this;
    }

    int requests(String path) {
        return registry.findAll(getRequestedFor(urlPathEqualTo(path))).size();
    }

    /** Requests for {@code path} that carried the token. */
    int authorizedRequests(String path) {
        return registry.findAll(
                        getRequestedFor(urlPathEqualTo(path)).withHeader("Authorization", equalTo("Bearer " + TOKEN)))
                .size();
    }

    /** What the other origin received for {@code path}. */
    List<LoggedRequest> otherOriginRequests(String path) {
        return cdn.findAll(getRequestedFor(urlPathEqualTo(path)));
    }

    /** Requests to the other origin that carried any Authorization header. */
    List<LoggedRequest> otherOriginRequestsWithAuthorization() {
        List<LoggedRequest> all = cdn.findAll(getRequestedFor(urlPathMatching(".*")));
        all.removeAll(cdn.findAll(getRequestedFor(urlPathMatching(".*")).withHeader("Authorization", absent())));
        return all;
    }

    @Override
    public void close() {
        registry.stop();
        cdn.stop();
    }
}
