package dev.regx.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StaticCredentialsTest {
    private static ByteArrayInputStream stdin(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void appliesOnlyToItsRegistry() {
        StaticCredentials creds = new StaticCredentials("ghcr.io", Credential.basic("u", "p"));

        assertThat(creds.lookup("ghcr.io")).contains(Credential.basic("u", "p"));
        assertThat(creds.lookup("GHCR.io")).contains(Credential.basic("u", "p"));
        assertThat(creds.lookup("quay.io")).isEmpty();
        assertThat(creds.lookup("ghcr.io:443")).isEmpty();
    }

    @Test
    void dockerHubAliasesAreOneRegistry() {
        StaticCredentials creds = new StaticCredentials("docker.io", Credential.basic("u", "p"));

        assertThat(creds.lookup("index.docker.io")).isPresent();
        assertThat(creds.lookup("registry-1.docker.io")).isPresent();
    }

    @Test
    void passwordStdinDropsOneTrailingNewlineAndCarriageReturnOnly() throws IOException {
        assertThat(StaticCredentials.fromPasswordStdin("ghcr.io", "u", stdin("pw\r\n"))
                        .lookup("ghcr.io"))
                .contains(Credential.basic("u", "pw"));
        assertThat(StaticCredentials.fromPasswordStdin("ghcr.io", "u", stdin(" pw \n\n"))
                        .lookup("ghcr.io"))
                .contains(Credential.basic("u", " pw \n"));
        assertThat(StaticCredentials.fromPasswordStdin("ghcr.io", "u", stdin("pw"))
                        .lookup("ghcr.io"))
                .contains(Credential.basic("u", "pw"));
    }

    @Test
    void emptyPasswordOrUsernameIsRefused() {
        assertThatThrownBy(() -> StaticCredentials.fromPasswordStdin("ghcr.io", "u", stdin("\n")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--password-stdin");
        assertThatThrownBy(() -> StaticCredentials.fromPasswordStdin("ghcr.io", "", stdin("pw")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--username");
    }

    @Test
    void toStringHidesThePassword() throws IOException {
        StaticCredentials creds = StaticCredentials.fromPasswordStdin("ghcr.io", "alice", stdin("hunter2\n"));

        assertThat(creds.toString()).contains("ghcr.io").contains("alice").doesNotContain("hunter2");
    }
}
