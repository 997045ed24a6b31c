package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
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

/** {@code regx config} against the suite's registry (token auth). */
@RequiresRegistry
class ConfigCommandTest {
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
    void aSingleImagesConfigIsPrintedByteForByteWithItsDigestOnStderr() {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run = regx("config", composer.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(text(composer.image().config()));
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains(composer.digest(), "config " + composer.image().configDigest());
    }

    @Test
    void anIndexGivesThePlatformsConfig() {
        for (PushedIndex index : new PushedIndex[] {
            shared.fixtures().multiArch(), shared.fixtures().multiArchManifestList()
        }) {
            for (Platform p : new Platform[] {Platform.LINUX_AMD64, Platform.LINUX_ARM64_V8}) {
                CommandRun run = regx("config", "--platform", p.os() + "/" + p.architecture(), index.reference());

                assertThat(run.exitCode()).as(run.toString()).isZero();
                assertThat(run.out()).isEqualTo(text(index.child(p).image().config()));
            }
        }
    }

    @Test
    void prettyIndentsTheSameDocument() throws Exception {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run = regx("config", "--pretty", composer.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("\n  \"").endsWith("}\n");
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(run.out()))
                .isEqualTo(json.readTree(composer.image().config()));
    }

    @Test
    void aPrivateRepositoryNeedsCredentials() throws Exception {
        PushedImage secret = shared.fixtures().secret();
        assertThat(regx("config", secret.reference()).exitCode()).isEqualTo(ExitCode.UNAUTHORIZED.code());

        AliceConfig.write(home, shared.host());
        CommandRun alice = regx("config", secret.reference());
        assertThat(alice.exitCode()).as(alice.toString()).isZero();
        assertThat(alice.out()).isEqualTo(text(secret.image().config()));
    }

    @Test
    void aMissingPlatformListsTheOnesThatExist() {
        CommandRun run = regx(
                "config",
                "--platform",
                "linux/s390x",
                shared.fixtures().multiArch().reference());

        assertThat(run.exitCode()).isEqualTo(ExitCode.PLATFORM_NOT_FOUND.code());
        assertThat(run.errLines()).singleElement().asString().contains("linux/amd64", "linux/arm64/v8");
        assertThat(run.out()).isEmpty();
    }
}
