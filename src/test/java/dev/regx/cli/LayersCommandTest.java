package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regx.testing.Fixtures;
import dev.regx.testing.LocalRegistry;
import dev.regx.testing.Platform;
import dev.regx.testing.PushedImage;
import dev.regx.testing.PushedIndex;
import dev.regx.testing.RegistryPusher;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.SharedRegistry;
import dev.regx.testing.TestImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code regx layers} against a real distribution registry with token auth. */
@RequiresRegistry
class LayersCommandTest {
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
    void printsEveryLayerWithDigestSizeMediaTypeAndTheCommandThatMadeIt() {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run = regx("layers", "--bytes", composer.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String[] lines = run.out().split("\n");
        assertThat(lines[0]).startsWith("IDX").contains("DIGEST", "SIZE", "MEDIA TYPE", "CREATED BY");
        TestImage image = composer.image();
        assertThat(image.layers()).hasSizeGreaterThan(2);
        for (int i = 0; i < image.layers().size(); i++) {
            TestImage.ImageLayer layer = image.layer(i);
            assertThat(lines[i + 1].trim())
                    .startsWith(i + "  " + layer.digest())
                    .contains(" " + layer.size() + " ", "docker/tar+gzip")
                    .endsWith(layer.createdBy().strip());
        }
        assertThat(lines[image.layers().size() + 1])
                .isEqualTo("total " + image.layers().size() + " layers, " + image.totalLayerSize() + " bytes");
        // The manifest digest goes to stderr, so stdout stays pure data.
        assertThat(run.err()).contains(composer.digest()).doesNotContain("IDX");
    }

    @Test
    void jsonCarriesTheDocumentedFields() throws Exception {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run = regx("layers", "--json", composer.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).isEmpty();
        JsonNode doc = new ObjectMapper().readTree(run.out());
        assertThat(doc.path("reference").asText()).isEqualTo(composer.reference());
        assertThat(doc.path("registry").asText()).isEqualTo(shared.host());
        assertThat(doc.path("repository").asText()).isEqualTo(Fixtures.COMPOSER_REPOSITORY);
        assertThat(doc.path("tag").asText()).isEqualTo("latest");
        assertThat(doc.path("digest").asText()).isEqualTo(composer.digest());
        assertThat(doc.path("mediaType").asText()).isEqualTo(composer.mediaType());
        assertThat(doc.path("platform").asText()).isEqualTo("linux/amd64");
        JsonNode layers = doc.path("layers");
        assertThat(layers).hasSize(composer.image().layers().size());
        for (int i = 0; i < layers.size(); i++) {
            TestImage.ImageLayer expected = composer.image().layer(i);
            JsonNode l = layers.get(i);
            assertThat(l.path("index").asInt()).isEqualTo(i);
            assertThat(l.path("digest").asText()).isEqualTo(expected.digest());
            assertThat(l.path("size").asLong()).isEqualTo(expected.size());
            assertThat(l.path("mediaType").asText()).isEqualTo(expected.mediaType());
            assertThat(l.path("diffId").asText()).isEqualTo(expected.diffId());
            assertThat(l.path("createdBy").asText()).isEqualTo(expected.createdBy());
        }
    }

    @Test
    void quietPrintsOnlyDigests() {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run = regx("layers", "-q", composer.reference());

        assertThat(run.exitCode()).isZero();
        assertThat(run.out().split("\n"))
                .containsExactly(composer.image().layers().stream()
                        .map(TestImage.ImageLayer::digest)
                        .toArray(String[]::new));
    }

    @Test
    void indexResolvesToTheRequestedPlatformSkippingAttestations() {
        PushedIndex multi = shared.fixtures().multiArch();
        for (Platform p : new Platform[] {Platform.LINUX_AMD64, Platform.LINUX_ARM64_V8}) {
            PushedImage child = multi.child(p);
            CommandRun run = regx("layers", "-q", "--platform", p.os() + "/" + p.architecture(), multi.reference());
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out().split("\n"))
                    .containsExactly(child.image().layers().stream()
                            .map(TestImage.ImageLayer::digest)
                            .toArray(String[]::new));
        }
        CommandRun list = regx(
                "layers",
                "--json",
                "--platform",
                "linux/arm64",
                shared.fixtures().multiArchManifestList().reference());
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out())
                .contains(
                        "\"platform\" : \"linux/arm64/v8\"",
                        "\"indexDigest\" : \""
                                + shared.fixtures().multiArchManifestList().digest() + "\"");
    }

    @Test
    void missingPlatformListsTheOnesThatExist() {
        CommandRun run = regx(
                "layers",
                "--platform",
                "linux/s390x",
                shared.fixtures().multiArch().reference());

        assertThat(run.exitCode()).isEqualTo(ExitCode.PLATFORM_NOT_FOUND.code());
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("linux/s390x", "linux/amd64", "linux/arm64/v8")
                .doesNotContain("unknown/unknown");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void digestReferenceIsVerifiedAndResolved() {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run = regx("layers", "-q", composer.digestReference());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines()).hasSize(composer.image().layers().size());

        String wrong = composer.host() + "/" + composer.repository() + "@sha256:" + "0".repeat(64);
        CommandRun missing = regx("layers", wrong);
        assertThat(missing.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(missing.errLines()).hasSize(1);
    }

    @Test
    void missingTagIsNotFoundInOneLine() {
        CommandRun run = regx("layers", shared.host() + "/" + Fixtures.COMPOSER_REPOSITORY + ":no-such-tag");

        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("regx: ")
                .contains("no-such-tag", "not found")
                .endsWith("; check the repository name and the tag or digest");
    }

    @Test
    void leftoverArgumentsAreNamedInOneLineWithTheCommandsHelp() {
        CommandRun one = regx("layers", "alpine", "extra");
        CommandRun two = regx("layers", "alpine", "a", "b");

        assertThat(one.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(one.errLines()).containsExactly("regx: unexpected argument 'extra' (see 'regx layers --help')");
        assertThat(two.errLines()).containsExactly("regx: unexpected arguments 'a', 'b' (see 'regx layers --help')");
        assertThat(one.out()).isEmpty();
    }

    @Test
    void theSubcommandRunAloneKeepsItsFullNameInItsHelp() {
        CommandRun run = regx("layers", "--help");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).startsWith("Usage: regx layers ");
    }

    @Test
    void anInsecureValueThatCannotBeAHostIsAUsageErrorNotASilentHttpsConnection() {
        CommandRun url = regx("layers", "--insecure", "http://registry.lan:5000/", "registry.lan:5000/a/b:1");
        assertThat(url.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(url.errLines())
                .singleElement()
                .asString()
                .startsWith(
                        "regx: --insecure takes HOST[:PORT] (e.g. registry.lan:5000), not a URL: use --insecure registry.lan:5000");

        for (String bad : new String[] {"", "a b", "registry.lan/path", "registry.lan:99999", "a..b"}) {
            CommandRun run = regx("layers", "--insecure=" + bad, "registry.lan:5000/a/b:1");
            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE.code());
            assertThat(run.errLines())
                    .singleElement()
                    .asString()
                    .contains("--insecure takes HOST[:PORT] (e.g. registry.lan:5000), not \"" + bad + "\"");
        }
    }

    @Test
    void anInsecureValueCarryingCredentialsIsRefusedWithoutRepeatingThem() {
        for (String bad : new String[] {"https://alice:s3cret@registry.lan:5000", "alice:s3cret@registry.lan"}) {
            CommandRun run = regx("layers", "--insecure", bad, "registry.lan:5000/a/b:1");

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.USAGE.code());
            assertThat(run.errLines())
                    .singleElement()
                    .asString()
                    .startsWith("regx: --insecure takes HOST[:PORT]")
                    .doesNotContain("s3cret", "alice");
        }
    }

    @Test
    void jsonWithQuietIsAUsageErrorNotOneFormatSilentlyWinning() {
        CommandRun run = regx("layers", "--json", "-q", "registry.lan:5000/a/b:1");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("regx: --json and -q ask for two different outputs; choose one");
    }

    @Test
    void malformedReferenceIsAUsageErrorQuotingTheInput() {
        CommandRun run = regx("layers", "Foo/Bar");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.errLines()).singleElement().asString().contains("\"Foo/Bar\"", "lower case");
    }

    @Test
    void privateRepositoryRefusesAnonymousAndAcceptsTheDockerConfigCredential() throws Exception {
        PushedImage secret = shared.fixtures().secret();
        CommandRun anonymous = regx("layers", secret.reference());
        assertThat(anonymous.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED.code());
        assertThat(anonymous.errLines())
                .singleElement()
                .asString()
                .contains("docker login", "-u USER --password-stdin")
                .doesNotContain("or --username");

        String auth = Base64.getEncoder()
                .encodeToString((Fixtures.ALICE + ":" + Fixtures.ALICE_PASSWORD).getBytes(StandardCharsets.UTF_8));
        Files.writeString(
                home.resolve("config.json"), "{\"auths\":{\"" + shared.host() + "\":{\"auth\":\"" + auth + "\"}}}");
        CommandRun withConfig = regx("layers", "-q", secret.reference());
        assertThat(withConfig.exitCode()).as(withConfig.toString()).isZero();
        assertThat(withConfig.out().lines()).hasSize(secret.image().layers().size());
        assertThat(withConfig.toString())
                .doesNotContain(Fixtures.ALICE_PASSWORD)
                .doesNotContain(auth);
    }

    @Test
    void identityTokenFromTheConfigUsesTheOAuth2RefreshGrant() throws Exception {
        PushedImage secret = shared.fixtures().secret();
        Files.writeString(
                home.resolve("config.json"),
                "{\"auths\":{\"" + shared.host() + "\":{\"identitytoken\":\"" + Fixtures.ALICE_REFRESH_TOKEN + "\"}}}");
        CommandRun run = regx("layers", "-q", "--verbose", secret.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).doesNotContain(Fixtures.ALICE_REFRESH_TOKEN).contains("Bearer <redacted>");
        assertThat(shared.tokenServer().requests()).anySatisfy(r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.grantType()).isEqualTo("refresh_token");
        });
    }

    @Test
    void credentialHelperFailureWarnsOnceAndPublicImagesStillWork() throws Exception {
        Path bin = Files.createDirectories(home.resolve("bin"));
        Path helper = bin.resolve("docker-credential-broken");
        Files.writeString(helper, "#!/bin/sh\necho 'keychain locked' >&2\nexit 1\n");
        helper.toFile().setExecutable(true);
        Files.writeString(home.resolve("config.json"), "{\"credsStore\":\"broken\"}");
        Map<String, String> env = new HashMap<>(
                Map.of("DOCKER_CONFIG", home.toString(), "HOME", home.toString(), "PATH", bin + ":/usr/bin:/bin"));

        CommandRun run =
                CommandRun.run(env, "layers", "-q", shared.fixtures().composer().reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.err()).contains("docker-credential-broken", "keychain locked", "continuing without credentials");
        assertThat(run.errLines()).hasSize(1);
    }

    @Test
    void platformThatASinglePlatformImageDoesNotHaveIsAWarningNotAFailure() {
        CommandRun run = regx(
                "layers",
                "-q",
                "--platform",
                "linux/arm64",
                shared.fixtures().composer().reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("warning", "single-platform", "linux/amd64", "linux/arm64");
    }

    @Test
    void worksAgainstARegistryWithoutAuthentication() throws Exception {
        try (LocalRegistry open = LocalRegistry.builder().noAuth().start()) {
            PushedImage composer =
                    new RegistryPusher(open).push(Fixtures.COMPOSER_REPOSITORY, "latest", Fixtures.composer());

            CommandRun run = regx("layers", "-q", composer.reference());

            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out().split("\n"))
                    .containsExactly(composer.image().layers().stream()
                            .map(TestImage.ImageLayer::digest)
                            .toArray(String[]::new));
        }
    }

    @Test
    void usernameWithPasswordOnStdinOpensAPrivateRepository() {
        PushedImage secret = shared.fixtures().secret();
        java.io.InputStream stdin = System.in;
        try {
            System.setIn(new java.io.ByteArrayInputStream(
                    (Fixtures.ALICE_PASSWORD + "\n").getBytes(StandardCharsets.UTF_8)));
            CommandRun run = regx("layers", "-q", "-u", Fixtures.ALICE, "--password-stdin", secret.reference());
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out().lines()).hasSize(secret.image().layers().size());

            System.setIn(new java.io.ByteArrayInputStream("wrong\n".getBytes(StandardCharsets.UTF_8)));
            CommandRun wrong = regx("layers", "-q", "-u", Fixtures.ALICE, "--password-stdin", secret.reference());
            assertThat(wrong.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED.code());
            assertThat(wrong.errLines())
                    .singleElement()
                    .asString()
                    .contains("refused")
                    .doesNotContain("wrong");
        } finally {
            System.setIn(stdin);
        }
    }

    @Test
    void usernameWithoutPasswordStdinIsAUsageError() {
        CommandRun run =
                regx("layers", "-u", "alice", shared.fixtures().composer().reference());
        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.errLines()).singleElement().asString().contains("--password-stdin");
    }

    private static final String FULL_DISK =
            "regx: cannot write to standard output: No space left on device; " + "free some space or write elsewhere\n";

    @Test
    void aFullDiskIsExit12WithOneLineForJsonQuietAndTheTable() {
        String image = shared.fixtures().composer().reference();
        // The table writes the resolved digest and platform to stderr before any stdout.
        String tableSummary = regx("layers", image).err();
        assertThat(tableSummary).contains(shared.fixtures().composer().digest()).endsWith("\n");

        CommandRun json = CommandRun.run(home, FailingStdout.fullDiskAfter(0), "layers", "--json", image);
        CommandRun quiet = CommandRun.run(home, FailingStdout.fullDiskAfter(0), "layers", "-q", image);
        CommandRun table = CommandRun.run(home, FailingStdout.fullDiskAfter(100), "layers", image);

        assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(json.err()).isEqualTo(FULL_DISK);
        assertThat(quiet.exitCode()).as(quiet.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(quiet.err()).isEqualTo(FULL_DISK);
        assertThat(table.exitCode()).as(table.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(table.err()).isEqualTo(tableSummary + FULL_DISK);
        assertThat(table.out()).hasSize(100).startsWith("IDX");
    }

    @Test
    void aReaderThatLeftIsTheSigpipeStatusWithNothingMoreOnStderr() {
        String image = shared.fixtures().composer().reference();
        String tableSummary = regx("layers", image).err();

        CommandRun json = CommandRun.run(home, FailingStdout.brokenPipeAfter(0), "layers", "--json", image);
        CommandRun quiet = CommandRun.run(home, FailingStdout.brokenPipeAfter(0), "layers", "-q", image);
        CommandRun head = CommandRun.run(home, FailingStdout.brokenPipeAfter(100), "layers", image);

        assertThat(json.exitCode()).as(json.toString()).isEqualTo(ExitCode.OUTPUT_CLOSED.code());
        assertThat(json.err()).isEmpty();
        assertThat(quiet.exitCode()).as(quiet.toString()).isEqualTo(ExitCode.OUTPUT_CLOSED.code());
        assertThat(quiet.err()).isEmpty();
        assertThat(head.exitCode()).as(head.toString()).isEqualTo(ExitCode.OUTPUT_CLOSED.code());
        assertThat(head.err()).isEqualTo(tableSummary);
    }

    @Test
    void jsonToDevFullThroughTheRealStdoutIsExit12() throws Exception {
        assumeTrue(new File("/dev/full").exists(), "no /dev/full on this system (it is Linux's)");
        ProcessRun run = ProcessRun.run(
                home,
                home,
                new File("/dev/full"),
                "layers",
                "--json",
                shared.fixtures().composer().reference());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(run.err()).isEqualTo(FULL_DISK);
    }

    @Test
    void aRealPipeWhoseReaderLeftIs141AndSilent() throws Exception {
        ProcessRun run = ProcessRun.runWithStdoutReaderGone(
                home, home, "layers", "-q", shared.fixtures().composer().reference());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OUTPUT_CLOSED.code());
        assertThat(run.err()).isEmpty();
    }
}
