package dev.regx.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.regx.registry.Digest;
import dev.regx.registry.manifest.MediaTypes;
import java.nio.charset.StandardCharsets;

/**
 * A registry on loopback (WireMock) serving one image, {@code wrong/blob:latest}, whose layer descriptor names
 * one blob while the blob URL serves other bytes: the fault a real registry, which checks digests on upload,
 * will not produce. Manifest and config are sound.
 */
final class WrongBlobRegistry implements AutoCloseable {
    private static final String REPOSITORY = "wrong/blob";
    private final WireMockServer server;
    private final String layerPath;

    private WrongBlobRegistry(WireMockServer server, String layerPath) {
        this.server = server;
        this.layerPath = layerPath;
    }

    /** The layer's descriptor says {@code promised} (its digest and size); its blob URL answers {@code served}. */
    static WrongBlobRegistry serving(byte[] promised, byte[] served) {
        return serving(promised, served, 0);
    }

    /** As {@link #serving(byte[], byte[])}, the blob dribbled out in chunks over {@code dribbleMillis}. */
    static WrongBlobRegistry serving(byte[] promised, byte[] served, int dribbleMillis) {
        WireMockServer server =
                new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        String layerDigest = Digest.sha256(promised).toString();
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                        + layerDigest + "\"]},\"history\":[{\"created_by\":\"ADD broken /\"}]}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = Digest.sha256(config).toString();
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                        + "\",\"config\":{\"mediaType\":"
                        + "\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" + configDigest
                        + "\",\"size\":" + config.length
                        + "},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\""
                        + layerDigest
                        + "\",\"size\":" + promised.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        server.stubFor(get(urlPathEqualTo("/v2/" + REPOSITORY + "/manifests/latest"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", MediaTypes.DOCKER_MANIFEST)
                        .withBody(manifest)));
        server.stubFor(get(urlPathEqualTo("/v2/" + REPOSITORY + "/blobs/" + configDigest))
                .willReturn(aResponse().withStatus(200).withBody(config)));
        String layerPath = "/v2/" + REPOSITORY + "/blobs/" + layerDigest;
        server.stubFor(get(urlPathEqualTo(layerPath))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Length", String.valueOf(served.length))
                        .withBody(served)
                        .withChunkedDribbleDelay(dribbleMillis > 0 ? 100 : 1, dribbleMillis)));
        return new WrongBlobRegistry(server, layerPath);
    }

    String reference() {
        return "127.0.0.1:" + server.port() + "/" + REPOSITORY + ":latest";
    }

    /** How many times the layer blob was asked for. */
    int layerRequests() {
        return server.findAll(getRequestedFor(urlPathEqualTo(layerPath))).size();
    }

    @Override
    public void close() {
        server.stop();
    }
}
