package dev.regx.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.regx.testing.Digests;
import dev.regx.testing.Fixtures;
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

/** {@code regx manifest} against the suite's registry (token auth). */
@RequiresRegistry
class ManifestCommandTest {
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

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void aSingleImagesManifestIsPrintedByteForByteWithDigestAndMediaTypeOnStderr() {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run = regx("manifest", composer.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(text(composer.image().manifest()));
        assertThat(Digests.sha256(run.out().getBytes(StandardCharsets.UTF_8))).isEqualTo(composer.digest());
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains(composer.reference(), composer.digest(), composer.mediaType());
    }

    @Test
    void anIndexGivesThePlatformsManifestChosenAsLayersChoosesIt() {
        for (PushedIndex index : new PushedIndex[] {
            shared.fixtures().multiArch(), shared.fixtures().multiArchManifestList()
        }) {
            PushedImage arm = index.child(Platform.LINUX_ARM64_V8);
            CommandRun run = regx("manifest", "--platform", "linux/arm64", index.reference());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).isEqualTo(text(arm.image().manifest()));
            assertThat(run.err()).contains(arm.digest(), "linux/arm64/v8", "from index " + index.digest());
        }
    }

    @Test
    void withoutPlatformTheHostsLinuxPlatformIsChosen() {
        PushedIndex index = shared.fixtures().multiArch();
        dev.regx.registry.manifest.Platform host = dev.regx.registry.manifest.Platform.host();
        Platform expected = host.architecture().equals("arm64") ? Platform.LINUX_ARM64_V8 : Platform.LINUX_AMD64;
        CommandRun run = regx("manifest", index.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(text(index.child(expected).image().manifest()));
    }

    @Test
    void indexPrintsTheIndexOrManifestListItself() {
        for (PushedIndex index : new PushedIndex[] {
            shared.fixtures().multiArch(), shared.fixtures().multiArchManifestList()
        }) {
            CommandRun run = regx("manifest", "--index", index.reference());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).isEqualTo(text(index.index().manifest()));
            assertThat(run.err()).contains(index.digest(), index.mediaType());
        }
    }

    @Test
    void indexAndPlatformTogetherAreAUsageError() {
        CommandRun run = regx(
                "manifest",
                "--index",
                "--platform",
                "linux/amd64",
                shared.fixtures().multiArch().reference());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.errLines()).singleElement().asString().contains("--index", "--platform");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void prettyIndentsTheSameDocument() throws Exception {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run = regx("manifest", "--pretty", composer.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\n  \"schemaVersion\" : 2").endsWith("}\n");
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(run.out()))
                .isEqualTo(json.readTree(composer.image().manifest()));
    }

    @Test
    void aPrivateRepositoryNeedsCredentials() throws Exception {
        PushedImage secret = shared.fixtures().secret();
        CommandRun anonymous = regx("manifest", secret.reference());
        assertThat(anonymous.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED.code());
        assertThat(anonymous.out()).isEmpty();

        AliceConfig.write(home, shared.host());
        CommandRun alice = regx("manifest", secret.reference());
        assertThat(alice.exitCode()).as(alice.toString()).isZero();
        assertThat(alice.out()).isEqualTo(text(secret.image().manifest()));
    }

    @Test
    void aDigestReferenceWhoseBytesDoNotMatchIsRefused() {
        // A real registry checks: distribution answers 500 when its stored bytes no longer match. WireMock
        // serves other bytes under the digest asked for, without a Docker-Content-Digest to give it away.
        byte[] asked = Fixtures.alpine().manifest();
        byte[] served = Fixtures.composer().manifest();
        String digest = Digests.sha256(asked);
        WireMockServer server =
                new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        try {
            server.stubFor(get(urlPathEqualTo("/v2/library/alpine/manifests/" + digest))
                    .willReturn(aResponse()
                            .withStatus(200)
                            .withHeader("Content-Type", MediaTypes.DOCKER_MANIFEST)
                            .withBody(served)));
            CommandRun run = regx("manifest", "127.0.0.1:" + server.port() + "/library/alpine@" + digest);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.DIGEST_MISMATCH.code());
            assertThat(run.errLines()).singleElement().asString().contains(digest, Digests.sha256(served));
            assertThat(run.out()).isEmpty();
        } finally {
            server.stop();
        }
    }
}
