package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regx.testing.PushedImage;
import dev.regx.testing.PushedIndex;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.SharedRegistry;
import dev.regx.testing.TestIndex;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code regx platforms} against the suite's registry (token auth). */
@RequiresRegistry
class PlatformsCommandTest {
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
    void anOciIndexListsEveryEntryWithItsDigestAndSizeMarkingTheAttestation() {
        PushedIndex index = shared.fixtures().multiArch();
        CommandRun run = regx("platforms", index.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<TestIndex.Entry> entries = index.index().entries();
        assertThat(entries).anyMatch(TestIndex.Entry::isAttestation);
        List<String> lines = run.out().lines().toList();
        assertThat(lines).hasSize(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            TestIndex.Entry entry = entries.get(i);
            assertThat(lines.get(i).split(" +"))
                    .containsExactlyElementsOf(
                            entry.isAttestation()
                                    ? List.of(
                                            "unknown/unknown",
                                            entry.image().manifestDigest(),
                                            String.valueOf(entry.image().manifestSize()),
                                            "attestation")
                                    : List.of(
                                            entry.platform().toString(),
                                            entry.image().manifestDigest(),
                                            String.valueOf(entry.image().manifestSize())));
        }
        assertThat(run.err()).isEmpty();
    }

    @Test
    void aDockerManifestListListsItsPlatforms() {
        PushedIndex list = shared.fixtures().multiArchManifestList();
        CommandRun run = regx("platforms", list.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines().map(l -> l.split(" +")[0])).containsExactly("linux/amd64", "linux/arm64/v8");
        assertThat(run.out()).doesNotContain("attestation");
    }

    @Test
    void aSingleImagePrintsItsOnePlatformFromItsConfig() {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run = regx("platforms", composer.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .isEqualTo("linux/amd64  " + composer.digest() + "  "
                        + composer.image().manifestSize() + "\n");
    }

    @Test
    void jsonIsAnArrayOfTheEntries() throws Exception {
        PushedIndex index = shared.fixtures().multiArch();
        CommandRun run = regx("platforms", "--json", index.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode array = new ObjectMapper().readTree(run.out());
        List<TestIndex.Entry> entries = index.index().entries();
        assertThat(array.isArray()).isTrue();
        assertThat(array).hasSize(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            TestIndex.Entry entry = entries.get(i);
            JsonNode e = array.get(i);
            assertThat(e.path("digest").asText()).isEqualTo(entry.image().manifestDigest());
            assertThat(e.path("size").asLong()).isEqualTo(entry.image().manifestSize());
            assertThat(e.path("mediaType").asText()).isEqualTo(entry.image().manifestMediaType());
            assertThat(e.path("attestation").asBoolean()).isEqualTo(entry.isAttestation());
            if (entry.isAttestation()) {
                assertThat(e.path("attests").asText())
                        .isEqualTo(entry.image().indexAnnotations().get("vnd.docker.reference.digest"));
            } else {
                assertThat(e.path("platform").asText())
                        .isEqualTo(entry.platform().toString());
                assertThat(e.path("attests").isNull()).isTrue();
            }
        }
    }

    @Test
    void aPrivateRepositoryNeedsCredentials() throws Exception {
        PushedImage secret = shared.fixtures().secret();
        assertThat(regx("platforms", secret.reference()).exitCode()).isEqualTo(ExitCode.UNAUTHORIZED.code());

        AliceConfig.write(home, shared.host());
        CommandRun alice = regx("platforms", secret.reference());
        assertThat(alice.exitCode()).as(alice.toString()).isZero();
        assertThat(alice.out()).contains(secret.digest());
    }

    @Test
    void takesNoPlatformOption() {
        CommandRun run = regx(
                "platforms",
                "--platform",
                "linux/amd64",
                shared.fixtures().multiArch().reference());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
    }
}
