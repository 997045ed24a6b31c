package dev.regx.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisabledOnOs(OS.WINDOWS)
class CredentialHelperTest {
    private static final Duration FAST = Duration.ofSeconds(10);

    @TempDir
    Path bin;

    FakeHelpers fakes;
    RecordingWarnings warnings = new RecordingWarnings();

    @BeforeEach
    void setUp() {
        fakes = new FakeHelpers(bin);
    }

    private CredentialHelper helper(String name) {
        return new CredentialHelper(name, fakes.searchPath(), FAST, warnings);
    }

    @Test
    void returnsUsernameAndSecretFromTheHelperAndSendsTheHostOnStdin() throws IOException {
        fakes.answering("fake", "alice", "s3cret-pw");

        Optional<Credential> credential = helper("fake").lookup("ghcr.io");

        assertThat(credential).contains(Credential.basic("alice", "s3cret-pw"));
        assertThat(fakes.stdinSeen("fake")).isEqualTo("ghcr.io");
        assertThat(warnings.lines).isEmpty();
    }

    @Test
    void asksForDockerHubUnderItsIndexServerUrl() throws IOException {
        fakes.answering("fake", "bob", "hub-pw");

        assertThat(helper("fake").lookup("docker.io")).contains(Credential.basic("bob", "hub-pw"));
        assertThat(fakes.stdinSeen("fake")).isEqualTo("https://index.docker.io/v1/");
    }

    @Test
    void sendsHostWithPortUnchanged() throws IOException {
        fakes.answering("fake", "carol", "pw");

        helper("fake").lookup("registry.example.com:5000");

        assertThat(fakes.stdinSeen("fake")).isEqualTo("registry.example.com:5000");
    }

    @Test
    void tokenUsernameMeansTheSecretIsAnIdentityToken() throws IOException {
        fakes.answering("fake", "<token>", "refresh-token-xyz");

        Credential credential = helper("fake").lookup("myregistry.azurecr.io").orElseThrow();

        assertThat(credential.isIdentityToken()).isTrue();
        assertThat(credential.secret()).isEqualTo("refresh-token-xyz");
        assertThat(credential.username()).isEqualTo(Credential.IDENTITY_TOKEN_USERNAME);
    }

    @Test
    void credentialsNotFoundIsAnonymousWithoutWarning() throws IOException {
        fakes.write("fake", "cat >/dev/null\necho 'credentials not found in native keychain'\nexit 1");

        assertThat(helper("fake").lookup("ghcr.io")).isEmpty();
        assertThat(warnings.lines).isEmpty();
    }

    @Test
    void emptySecretIsAnonymousWithoutWarning() throws IOException {
        fakes.answering("fake", "", "");

        assertThat(helper("fake").lookup("ghcr.io")).isEmpty();
        assertThat(warnings.lines).isEmpty();
    }

    @Test
    void failingHelperWarnsOnceWithItsFirstStderrLineButNotItsStdout() throws IOException {
        fakes.write(
                "pass",
                "cat >/dev/null\n"
                        + "echo '{\"Username\":\"alice\",\"Secret\":\"leaked-secret\"}'\n"
                        + "printf '  gpg: decryption failed: No secret key  \\nsecond line\\n' >&2\n"
                        + "exit 2");

        Optional<Credential> credential = helper("pass").lookup("ghcr.io");

        assertThat(credential).isEmpty();
        assertThat(warnings.lines)
                .containsExactly("credential helper docker-credential-pass failed for ghcr.io: "
                        + "exit status 2: gpg: decryption failed: No secret key; continuing without credentials");
        assertThat(warnings.lines).noneMatch(line -> line.contains("leaked-secret"));
    }

    @Test
    void failingHelperWithoutStderrWarnsWithTheExitStatus() throws IOException {
        fakes.write("fake", "cat >/dev/null\necho 'some error that might echo hunter2'\nexit 1");

        assertThat(helper("fake").lookup("ghcr.io")).isEmpty();
        assertThat(warnings.lines)
                .containsExactly("credential helper docker-credential-fake failed for ghcr.io: "
                        + "exit status 1; continuing without credentials");
    }

    @Test
    void garbageOutputWarnsWithoutQuotingIt() throws IOException {
        fakes.write("fake", "cat >/dev/null\necho 'Username=alice Secret=hunter2'");

        assertThat(helper("fake").lookup("ghcr.io")).isEmpty();
        assertThat(warnings.lines).hasSize(1);
        assertThat(warnings.lines.get(0))
                .startsWith("credential helper docker-credential-fake failed for ghcr.io: ")
                .contains("not credentials JSON")
                .endsWith("; continuing without credentials")
                .doesNotContain("hunter2");
    }

    @Test
    void jsonWithWrongTypesIsGarbage() throws IOException {
        fakes.write("fake", "cat >/dev/null\necho '{\"Username\":\"alice\",\"Secret\":42}'");

        assertThat(helper("fake").lookup("ghcr.io")).isEmpty();
        assertThat(warnings.lines).singleElement().asString().contains("not credentials JSON");
    }

    @Test
    void emptyOutputIsGarbage() throws IOException {
        fakes.write("fake", "cat >/dev/null");

        assertThat(helper("fake").lookup("ghcr.io")).isEmpty();
        assertThat(warnings.lines).singleElement().asString().contains("not credentials JSON");
    }

    @Test
    void missingHelperWarns() {
        assertThat(helper("nowhere").lookup("ghcr.io")).isEmpty();
        assertThat(warnings.lines)
                .containsExactly("credential helper docker-credential-nowhere failed for ghcr.io: "
                        + "not found on PATH; continuing without credentials");
    }

    @Test
    void nonExecutableFileOnPathIsNotAHelper() throws IOException {
        Files.writeString(bin.resolve("docker-credential-fake"), "#!/bin/sh\necho '{}'\n");

        assertThat(helper("fake").lookup("ghcr.io")).isEmpty();
        assertThat(warnings.lines).singleElement().asString().contains("not found on PATH");
    }

    @Test
    void findsTheHelperInALaterSearchPathDirectoryAndSkipsRelativeOnes(@TempDir Path empty) throws IOException {
        fakes.answering("fake", "alice", "pw");
        String path = String.join(java.io.File.pathSeparator, "", ".", empty.toString(), bin.toString());

        CredentialHelper helper = new CredentialHelper("fake", path, FAST, warnings);

        assertThat(helper.lookup("ghcr.io")).contains(Credential.basic("alice", "pw"));
    }

    @Test
    void helperNameWithPathSeparatorIsRefused() {
        assertThat(helper("../fake").lookup("ghcr.io")).isEmpty();
        assertThat(warnings.lines).singleElement().asString().contains("not a valid helper name");
    }

    @Test
    void slowHelperIsKilledAfterTheTimeoutAndWarns() throws IOException {
        // Not exec: the shell's child sleep keeps the pipes open, so killing only the shell would hang.
        fakes.write("slow", "echo 'about to hang' >&2\nsleep 30\necho '{\"Username\":\"a\",\"Secret\":\"b\"}'");
        CredentialHelper helper = new CredentialHelper("slow", fakes.searchPath(), Duration.ofMillis(300), warnings);

        long start = System.nanoTime();
        Optional<Credential> credential = helper.lookup("ghcr.io");
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(credential).isEmpty();
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(warnings.lines)
                .containsExactly("credential helper docker-credential-slow failed for ghcr.io: "
                        + "timed out after 300 ms: about to hang; continuing without credentials");
    }

    @Test
    void largeOutputOnBothStreamsDoesNotDeadlock() throws IOException {
        fakes.write(
                "chatty",
                "cat >/dev/null\n"
                        + "i=0; while [ $i -lt 4000 ]; do echo 'noise noise noise noise noise noise noise noise' >&2; i=$((i+1)); done\n"
                        + "printf '{\"Username\":\"alice\",\"Secret\":\"pw\",\"Padding\":\"'\n"
                        + "i=0; while [ $i -lt 4000 ]; do printf 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'; i=$((i+1)); done\n"
                        + "printf '\"}'");

        assertThat(helper("chatty").lookup("ghcr.io")).contains(Credential.basic("alice", "pw"));
        assertThat(warnings.lines).isEmpty();
    }

    @Test
    void helperThatIgnoresStdinStillWorks() throws IOException {
        fakes.write("fake", "echo '{\"Username\":\"alice\",\"Secret\":\"pw\"}'");

        assertThat(helper("fake").lookup("ghcr.io")).contains(Credential.basic("alice", "pw"));
    }

    @Test
    void answerIsRememberedPerServerUrl() throws IOException {
        fakes.answering("fake", "alice", "pw");
        CredentialHelper helper = helper("fake");

        helper.lookup("ghcr.io");
        helper.lookup("ghcr.io");
        helper.lookup("quay.io");

        assertThat(fakes.calls("fake")).isEqualTo(2);
    }

    @Test
    void failureIsWarnedOnlyOncePerRegistry() throws IOException {
        fakes.write("fake", "cat >/dev/null\necho oops >&2\nexit 1");
        CredentialHelper helper = helper("fake");

        helper.lookup("ghcr.io");
        helper.lookup("ghcr.io");

        assertThat(warnings.lines).hasSize(1);
    }

    @Test
    void toStringNamesTheProgram() {
        assertThat(helper("pass")).hasToString("CredentialHelper[docker-credential-pass]");
    }
}
