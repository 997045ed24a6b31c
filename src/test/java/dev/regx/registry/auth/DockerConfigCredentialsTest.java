package dev.regx.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

class DockerConfigCredentialsTest {
    @TempDir
    Path dir;

    RecordingWarnings warnings = new RecordingWarnings();
    /** Helper names asked for, and the registries each was asked about, by the fake helper factory. */
    List<String> helperCalls = new ArrayList<>();

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A fake helper factory: helper NAME answers basic("NAME-user", "NAME-secret") and records the call. */
    private final Function<String, CredentialSource> fakeHelpers = name -> registry -> {
        helperCalls.add(name + "@" + registry);
        return name.equals("empty")
                ? Optional.empty()
                : Optional.of(Credential.basic(name + "-user", name + "-secret"));
    };

    private DockerConfigCredentials config(String json) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return new DockerConfigCredentials(file, fakeHelpers, warnings);
    }

    @Test
    void authEntryIsBase64UserColonPasswordSplitAtTheFirstColon() throws IOException {
        DockerConfigCredentials creds =
                config("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("alice:pa:ss:word") + "\"}}}");

        assertThat(creds.lookup("ghcr.io")).contains(Credential.basic("alice", "pa:ss:word"));
        assertThat(warnings.lines).isEmpty();
    }

    @Test
    void usernameAndPasswordFieldsAreUsedWithoutAuth() throws IOException {
        DockerConfigCredentials creds = config("{\"auths\":{\"quay.io\":{\"username\":\"bob\",\"password\":\"pw\"}}}");

        assertThat(creds.lookup("quay.io")).contains(Credential.basic("bob", "pw"));
    }

    @Test
    void authWinsOverUsernameAndPasswordFields() throws IOException {
        DockerConfigCredentials creds = config("{\"auths\":{\"quay.io\":{\"auth\":\"" + b64("fromauth:a")
                + "\",\"username\":\"fromfield\",\"password\":\"f\"}}}");

        assertThat(creds.lookup("quay.io")).contains(Credential.basic("fromauth", "a"));
    }

    @Test
    void identityTokenKeepsTheUsernameOrUsesTokenPlaceholder() throws IOException {
        DockerConfigCredentials creds = config("{\"auths\":{"
                + "\"a.azurecr.io\":{\"auth\":\"" + b64("00000000-0000-0000-0000-000000000000:")
                + "\",\"identitytoken\":\"tok-a\"},"
                + "\"b.azurecr.io\":{\"identitytoken\":\"tok-b\"}}}");

        assertThat(creds.lookup("a.azurecr.io"))
                .contains(Credential.identityToken("00000000-0000-0000-0000-000000000000", "tok-a"));
        assertThat(creds.lookup("b.azurecr.io")).contains(Credential.identityToken("<token>", "tok-b"));
    }

    @Test
    void fieldNamesMatchIgnoringCaseLikeGo() throws IOException {
        DockerConfigCredentials creds = config("{\"Auths\":{\"b.azurecr.io\":{\"IdentityToken\":\"tok\"}}}");

        assertThat(creds.lookup("b.azurecr.io")).contains(Credential.identityToken("<token>", "tok"));
    }

    @Test
    void trailingNulsAreTrimmedFromDecodedPasswords() throws IOException {
        DockerConfigCredentials creds = config("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("alice:pw\0\0") + "\"}}}");

        assertThat(creds.lookup("ghcr.io")).contains(Credential.basic("alice", "pw"));
    }

    @Test
    void dockerHubReferencesFindTheIndexServerKey() throws IOException {
        DockerConfigCredentials creds =
                config("{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"" + b64("hubuser:hubpw") + "\"}}}");

        for (String registry : List.of("docker.io", "index.docker.io", "registry-1.docker.io")) {
            assertThat(creds.lookup(registry)).as(registry).contains(Credential.basic("hubuser", "hubpw"));
        }
        assertThat(creds.lookup("ghcr.io")).isEmpty();
    }

    @Test
    void dockerHubAlternativeKeysAreAccepted() throws IOException {
        for (String key : List.of(
                "index.docker.io",
                "docker.io",
                "https://index.docker.io/v1",
                "registry-1.docker.io",
                "https://registry-1.docker.io/v2/")) {
            DockerConfigCredentials creds =
                    config("{\"auths\":{\"" + key + "\":{\"username\":\"u\",\"password\":\"p\"}}}");

            assertThat(creds.lookup("docker.io")).as(key).contains(Credential.basic("u", "p"));
        }
    }

    @Test
    void theExactIndexServerKeyWinsOverOtherHubKeys() throws IOException {
        DockerConfigCredentials creds = config("{\"auths\":{"
                + "\"docker.io\":{\"username\":\"loose\",\"password\":\"p\"},"
                + "\"https://index.docker.io/v1/\":{\"username\":\"exact\",\"password\":\"p\"}}}");

        assertThat(creds.lookup("docker.io")).contains(Credential.basic("exact", "p"));
    }

    @Test
    void keysAreNormalisedLikeConvertToHostname() throws IOException {
        DockerConfigCredentials creds = config("{\"auths\":{"
                + "\"https://registry.example.com:5000/v2/\":{\"username\":\"port\",\"password\":\"p\"},"
                + "\"http://plain.example.com/\":{\"username\":\"plain\",\"password\":\"p\"},"
                + "\"Mixed.Example.com/some/path\":{\"username\":\"mixed\",\"password\":\"p\"}}}");

        assertThat(creds.lookup("registry.example.com:5000")).contains(Credential.basic("port", "p"));
        assertThat(creds.lookup("registry.example.com"))
                .as("port is part of the host")
                .isEmpty();
        assertThat(creds.lookup("plain.example.com")).contains(Credential.basic("plain", "p"));
        assertThat(creds.lookup("mixed.example.com")).contains(Credential.basic("mixed", "p"));
    }

    @Test
    void exactKeyWinsOverNormalisedOne() throws IOException {
        DockerConfigCredentials creds = config("{\"auths\":{"
                + "\"https://ghcr.io\":{\"username\":\"normalised\",\"password\":\"p\"},"
                + "\"ghcr.io\":{\"username\":\"exact\",\"password\":\"p\"}}}");

        assertThat(creds.lookup("ghcr.io")).contains(Credential.basic("exact", "p"));
    }

    @Test
    void credHelpersBeatCredsStoreWhichBeatsAuths() throws IOException {
        DockerConfigCredentials creds = config("{"
                + "\"auths\":{\"ghcr.io\":{\"username\":\"file\",\"password\":\"p\"},"
                + "           \"quay.io\":{\"username\":\"file\",\"password\":\"p\"}},"
                + "\"credsStore\":\"store\","
                + "\"credHelpers\":{\"ghcr.io\":\"gh\"}}");

        assertThat(creds.lookup("ghcr.io")).contains(Credential.basic("gh-user", "gh-secret"));
        assertThat(creds.lookup("quay.io")).contains(Credential.basic("store-user", "store-secret"));
        assertThat(creds.lookup("never-logged-in.example")).contains(Credential.basic("store-user", "store-secret"));
        assertThat(helperCalls).containsExactly("gh@ghcr.io", "store@quay.io", "store@never-logged-in.example");
    }

    @Test
    void credHelperKeysAreMatchedLikeAuthKeys() throws IOException {
        DockerConfigCredentials creds = config("{\"credHelpers\":{"
                + "\"https://index.docker.io/v1/\":\"hub\",\"123.dkr.ecr.us-east-1.amazonaws.com\":\"ecr-login\","
                + "\"https://registry.example.com:5000/v2/\":\"local\"}}");

        assertThat(creds.lookup("docker.io")).contains(Credential.basic("hub-user", "hub-secret"));
        assertThat(creds.lookup("123.dkr.ecr.us-east-1.amazonaws.com"))
                .contains(Credential.basic("ecr-login-user", "ecr-login-secret"));
        assertThat(creds.lookup("registry.example.com:5000")).contains(Credential.basic("local-user", "local-secret"));
        assertThat(creds.lookup("ghcr.io")).isEmpty();
    }

    @Test
    void credsStoreNotFoundDoesNotFallBackToAuths() throws IOException {
        DockerConfigCredentials creds = config(
                "{\"auths\":{\"ghcr.io\":{\"username\":\"file\",\"password\":\"p\"}}," + "\"credsStore\":\"empty\"}");

        assertThat(creds.lookup("ghcr.io")).isEmpty();
        assertThat(helperCalls).containsExactly("empty@ghcr.io");
    }

    @Test
    void emptyCredHelperNameMeansUseAuthsEvenWithACredsStore() throws IOException {
        DockerConfigCredentials creds = config("{\"auths\":{\"ghcr.io\":{\"username\":\"file\",\"password\":\"p\"}},"
                + "\"credsStore\":\"store\",\"credHelpers\":{\"ghcr.io\":\"\"}}");

        assertThat(creds.lookup("ghcr.io")).contains(Credential.basic("file", "p"));
        assertThat(helperCalls).isEmpty();
    }

    @Test
    void emptyCredsStoreIsNoStore() throws IOException {
        DockerConfigCredentials creds =
                config("{\"auths\":{\"ghcr.io\":{\"username\":\"file\",\"password\":\"p\"}}," + "\"credsStore\":\"\"}");

        assertThat(creds.lookup("ghcr.io")).contains(Credential.basic("file", "p"));
    }

    @Test
    void eachHelperIsMadeOnce() throws IOException {
        List<String> made = new ArrayList<>();
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"credsStore\":\"store\"}");
        DockerConfigCredentials creds = new DockerConfigCredentials(
                file,
                name -> {
                    made.add(name);
                    return fakeHelpers.apply(name);
                },
                warnings);

        creds.lookup("ghcr.io");
        creds.lookup("quay.io");

        assertThat(made).containsExactly("store");
    }

    @Test
    void emptyEntriesAndUnknownRegistriesAreAnonymous() throws IOException {
        DockerConfigCredentials creds = config("{\"auths\":{\"https://index.docker.io/v1/\":{},\"ghcr.io\":null,"
                + "\"quay.io\":{\"email\":\"a@b.c\"}},\"psFormat\":\"table\"}");

        assertThat(creds.lookup("docker.io")).isEmpty();
        assertThat(creds.lookup("ghcr.io")).isEmpty();
        assertThat(creds.lookup("quay.io")).isEmpty();
        assertThat(creds.lookup("other.example")).isEmpty();
        assertThat(warnings.lines).isEmpty();
    }

    @Test
    void missingFileMeansNoCredentialsAndNoWarning() {
        DockerConfigCredentials creds =
                new DockerConfigCredentials(dir.resolve("nope/config.json"), fakeHelpers, warnings);

        assertThat(creds.lookup("docker.io")).isEmpty();
        assertThat(warnings.lines).isEmpty();
        assertThat(helperCalls).isEmpty();
    }

    @Test
    void emptyFileMeansNoCredentialsAndNoWarning() throws IOException {
        assertThat(config("  \n").lookup("docker.io")).isEmpty();
        assertThat(warnings.lines).isEmpty();
    }

    @Test
    void malformedJsonWarnsOnceNamingTheFileButNotItsContent() throws IOException {
        DockerConfigCredentials creds = config("{\"auths\":{\"ghcr.io\":{\"auth\":\"" + b64("alice:topsecret")
                + "\"}},\n" + "\"credsStore\": topsecret-unquoted }");

        assertThat(creds.lookup("ghcr.io")).isEmpty();
        assertThat(creds.lookup("quay.io")).isEmpty();
        assertThat(warnings.lines).hasSize(1);
        assertThat(warnings.lines.get(0))
                .startsWith("ignoring Docker config " + dir.resolve("config.json") + ": not valid JSON (line 2")
                .endsWith("; continuing without credentials")
                .doesNotContain("topsecret")
                .doesNotContain(b64("alice:topsecret"));
    }

    @Test
    void wrongShapesAreMalformed() throws IOException {
        for (String json : List.of(
                "[]",
                "{\"auths\":[]}",
                "{\"auths\":{\"ghcr.io\":\"x\"}}",
                "{\"auths\":{\"ghcr.io\":{\"password\":42}}}",
                "{\"credHelpers\":{\"ghcr.io\":1}}",
                "{\"credsStore\":true}")) {
            warnings.lines.clear();

            assertThat(config(json).lookup("ghcr.io")).as(json).isEmpty();
            assertThat(warnings.lines).as(json).singleElement().asString().startsWith("ignoring Docker config ");
        }
    }

    @Test
    void badAuthValueWarnsForThatRegistryOnlyWithoutTheValue() throws IOException {
        DockerConfigCredentials creds = config("{\"auths\":{"
                + "\"ghcr.io\":{\"auth\":\"not base64 secretvalue!\"},"
                + "\"quay.io\":{\"auth\":\"" + b64("no-colon-secret") + "\"},"
                + "\"docker.io\":{\"auth\":\"" + b64(":emptyuser") + "\"},"
                + "\"gcr.io\":{\"auth\":\"" + b64("fine:pw") + "\"}}}");

        assertThat(creds.lookup("ghcr.io")).isEmpty();
        assertThat(creds.lookup("quay.io")).isEmpty();
        assertThat(creds.lookup("docker.io")).isEmpty();
        assertThat(creds.lookup("gcr.io")).contains(Credential.basic("fine", "pw"));
        assertThat(warnings.lines)
                .hasSize(3)
                .allSatisfy(line -> assertThat(line)
                        .contains("\"auth\" entry for ")
                        .contains(dir.resolve("config.json").toString())
                        .doesNotContain("secret")
                        .doesNotContain("emptyuser"));
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void unreadableFileWarns() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{}");
        file.toFile().setReadable(false);
        assumeFalse(Files.isReadable(file), "running as root: file permissions do not apply");

        assertThat(new DockerConfigCredentials(file, fakeHelpers, warnings).lookup("ghcr.io"))
                .isEmpty();
        assertThat(warnings.lines)
                .containsExactly(
                        "ignoring Docker config " + file + ": permission denied; continuing without credentials");
    }

    @Test
    void configPathThatIsADirectoryWarns() throws IOException {
        Path file = Files.createDirectory(dir.resolve("config.json"));

        assertThat(new DockerConfigCredentials(file, fakeHelpers, warnings).lookup("ghcr.io"))
                .isEmpty();
        assertThat(warnings.lines)
                .singleElement()
                .asString()
                .startsWith("ignoring Docker config " + file + ": cannot read it")
                .endsWith("; continuing without credentials");
    }

    @Test
    void configFileComesFromDockerConfigElseHome() {
        Map<String, String> withDockerConfig = Map.of("DOCKER_CONFIG", "/etc/dc", "HOME", "/home/u");
        Map<String, String> withHome = Map.of("DOCKER_CONFIG", "", "HOME", "/home/u", "USERPROFILE", "/home/u");

        assertThat(DockerConfigCredentials.defaultConfigFile(withDockerConfig::get))
                .isEqualTo(Path.of("/etc/dc", "config.json"));
        assertThat(DockerConfigCredentials.defaultConfigFile(withHome::get))
                .isEqualTo(Path.of("/home/u", ".docker", "config.json"));
    }

    @Test
    void toStringNamesTheFileOnly() throws IOException {
        DockerConfigCredentials creds =
                config("{\"auths\":{\"ghcr.io\":{\"username\":\"u\",\"password\":\"hunter2\"}}}");
        creds.lookup("ghcr.io");

        assertThat(creds.toString()).contains("config.json").doesNotContain("hunter2");
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void fromEnvironmentRunsHelpersFoundOnThePathVariable(@TempDir Path bin) throws IOException {
        new FakeHelpers(bin).answering("store", "alice", "from-store");
        Path configDir = Files.createDirectory(dir.resolve("dockercfg"));
        Files.writeString(configDir.resolve("config.json"), "{\"auths\":{\"ghcr.io\":{}},\"credsStore\":\"store\"}");
        Map<String, String> env = Map.of("DOCKER_CONFIG", configDir.toString(), "PATH", bin.toString());

        DockerConfigCredentials creds = DockerConfigCredentials.fromEnvironment(env::get, warnings);

        assertThat(creds.configFile()).isEqualTo(configDir.resolve("config.json"));
        assertThat(creds.lookup("ghcr.io")).contains(Credential.basic("alice", "from-store"));
        assertThat(warnings.lines).isEmpty();
    }

    @Test
    @DisabledOnOs(OS.WINDOWS)
    void helperFailureThroughTheConfigWarnsWithoutTheSecret(@TempDir Path bin) throws IOException {
        new FakeHelpers(bin)
                .write(
                        "pass",
                        "cat >/dev/null\necho '{\"Secret\":\"very-secret\"}'\necho 'pass store is locked' >&2\nexit 1");
        Path file = dir.resolve("config.json");
        Files.writeString(
                file,
                "{\"auths\":{\"ghcr.io\":{\"username\":\"u\",\"password\":\"file-secret\"}},\"credsStore\":\"pass\"}");
        DockerConfigCredentials creds = new DockerConfigCredentials(
                file, CredentialHelper.factory(bin.toString(), Duration.ofSeconds(10), warnings), warnings);

        assertThat(creds.lookup("ghcr.io")).isEmpty();
        assertThat(warnings.lines)
                .containsExactly("credential helper docker-credential-pass failed for ghcr.io: "
                        + "exit status 1: pass store is locked; continuing without credentials");
    }
}
