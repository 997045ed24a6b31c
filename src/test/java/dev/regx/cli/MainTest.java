package dev.regx.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.regx.registry.Digest;
import dev.regx.registry.manifest.MediaTypes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    private WireMockServer registry;

    @BeforeEach
    void start() {
        registry = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        registry.start();
    }

    @AfterEach
    void stop() {
        registry.stop();
    }

    @Test
    void anOutOfMemoryErrorEndsAsOneLineAndExitOne(@TempDir Path home) throws Exception {
        // A config under regx's 8 MiB cap, in a JVM given too little heap to parse it: the OutOfMemoryError
        // any input could still cause on a small machine, without the JVM's stack trace.
        String history = "x".repeat(7 << 20);
        byte[] config =
                ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},"
                                + "\"history\":[{\"created_by\":\"" + history + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
        String configDigest = Digest.sha256(config).toString();
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                        + "\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
                        + "\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        registry.stubFor(get(urlPathEqualTo("/v2/big/config/manifests/latest"))
                .willReturn(aResponse()
                        .withStatus(200)
                        .withHeader("Content-Type", MediaTypes.DOCKER_MANIFEST)
                        .withBody(manifest)));
        registry.stubFor(get(urlPathEqualTo("/v2/big/config/blobs/" + configDigest))
                .willReturn(aResponse().withStatus(200).withBody(config)));

        ProcessRun run = ProcessRun.runWithJvmOptions(
                List.of("-Xmx16m"), home, home, "layers", "127.0.0.1:" + registry.port() + "/big/config");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err())
                .isEqualTo("regx: internal error (OutOfMemoryError); please report it,"
                        + " with the command and its --verbose output\n");
    }
}
