package dev.regx.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.regx.registry.Digest;
import dev.regx.testing.MediaTypes;
import dev.regx.testing.Platform;
import dev.regx.testing.PushedImage;
import dev.regx.testing.PushedIndex;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.SharedRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code regx digest} against the suite's registry (token auth), and WireMock for a registry without HEAD. */
@RequiresRegistry
class DigestCommandTest {
    private static SharedRegistry shared;

    @TempDir
    Path home;

    @BeforeAll
    static void registry() {
        shared = SharedRegistry.get();
    }

    private CommandRun regx(String... args) {
        return CommandRun.run(home, args);
    }

    @Test
    void aMultiPlatformImageGivesItsIndexDigestAskedWithHead() {
        for (PushedIndex index : new PushedIndex[] {
            shared.fixtures().multiArch(), shared.fixtures().multiArchManifestList()
        }) {
            CommandRun run = regx("digest", "--verbose", index.reference());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).isEqualTo(index.digest() + "\n");
            // HEAD, which Docker Hub does not count as a pull; no GET of the manifest at all.
            assertThat(run.err()).contains("> HEAD ").doesNotContain("> GET http://" + shared.host() + "/v2/multi");
        }
    }

    @Test
    void aSingleImageGivesItsManifestDigest() {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run = regx("digest", composer.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(composer.digest() + "\n");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void platformGivesThatPlatformsManifestDigest() {
        PushedIndex index = shared.fixtures().multiArch();
        for (Platform p : new Platform[] {Platform.LINUX_AMD64, Platform.LINUX_ARM64_V8}) {
            CommandRun run = regx("digest", "--platform", p.os() + "/" + p.architecture(), index.reference());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).isEqualTo(index.child(p).digest() + "\n");
        }
        CommandRun missing = regx("digest", "--platform", "linux/s390x", index.reference());
        assertThat(missing.exitCode()).isEqualTo(ExitCode.PLATFORM_NOT_FOUND.code());
        assertThat(missing.out()).isEmpty();
    }

    @Test
    void aPrivateRepositoryNeedsCredentials() throws Exception {
        PushedImage secret = shared.fixtures().secret();
        CommandRun anonymous = regx("digest", secret.reference());
        assertThat(anonymous.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED.code());
        assertThat(anonymous.errLines()).singleElement().asString().contains("docker login");

        AliceConfig.write(home, shared.host());
        CommandRun alice = regx("digest", secret.reference());
        assertThat(alice.exitCode()).as(alice.toString()).isZero();
        assertThat(alice.out()).isEqualTo(secret.digest() + "\n");
    }

    @Test
    void aMissingTagIsNotFound() {
        CommandRun run = regx("digest", shared.host() + "/smoshysmosh/composer:no-such-tag");

        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.errLines()).singleElement().asString().contains("no-such-tag", "not found");
    }

    @Test
    void aRegistryWithoutHeadIsAskedWithGetAndTheBytesAreHashed() {
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                        + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OCI_CONFIG + "\",\"digest\":\"sha256:"
                        + "0".repeat(64) + "\",\"size\":2},\"layers\":[]}")
                .getBytes(StandardCharsets.UTF_8);
        WireMockServer server =
                new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        try {
            server.stubFor(head(urlPathEqualTo("/v2/no/head/manifests/latest"))
                    .willReturn(aResponse().withStatus(405)));
            // A HEAD that answers without saying the digest is no better.
            server.stubFor(head(urlPathEqualTo("/v2/no/digest/manifests/latest"))
                    .willReturn(aResponse().withStatus(200).withHeader("Content-Type", MediaTypes.OCI_MANIFEST)));
            for (String repository : new String[] {"no/head", "no/digest"}) {
                server.stubFor(get(urlPathEqualTo("/v2/" + repository + "/manifests/latest"))
                        .willReturn(aResponse()
                                .withStatus(200)
                                .withHeader("Content-Type", MediaTypes.OCI_MANIFEST)
                                .withBody(manifest)));
                CommandRun run = regx("digest", "127.0.0.1:" + server.port() + "/" + repository + ":latest");

                assertThat(run.exitCode()).as(run.toString()).isZero();
                assertThat(run.out()).isEqualTo(Digest.sha256(manifest) + "\n");
            }
        } finally {
            server.stop();
        }
    }
}
