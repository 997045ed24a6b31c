package dev.regx.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the reading of Docker's {@code config.json}: whatever the file holds, a look-up gives a credential or
 * none, with warnings at most (a broken config must not stop a public pull), and no warning quotes a secret.
 * Helpers are searched in an empty directory, so none ever runs.
 */
class DockerConfigFuzzTest {
    private static final List<String> REGISTRIES =
            List.of("docker.io", "ghcr.io", "127.0.0.1:5000", "registry.test", "[::1]:5000");
    private static Path dir;

    @BeforeAll
    static void createDirectory() throws IOException {
        dir = Files.createTempDirectory("regx-docker-config-fuzz");
    }

    @AfterAll
    static void removeDirectory() throws IOException {
        Files.deleteIfExists(dir.resolve("config.json"));
        Files.deleteIfExists(dir);
    }

    @FuzzTest
    void anyConfigGivesACredentialOrNoneAndNeverQuotesASecret(byte[] config) throws IOException {
        Path file = dir.resolve("config.json");
        Files.write(file, config);
        List<String> warnings = new ArrayList<>();
        DockerConfigCredentials credentials = new DockerConfigCredentials(
                file, CredentialHelper.factory(dir.toString(), Duration.ofSeconds(1), warnings::add), warnings::add);
        List<String> secrets = new ArrayList<>();
        for (String registry : REGISTRIES) {
            Optional<Credential> credential = credentials.lookup(registry);
            credential.ifPresent(c -> secrets.add(c.secret()));
        }
        for (String warning : warnings) {
            assertThat(warning).doesNotContain("\n");
            for (String secret : secrets) {
                if (secret.length() >= 8) {
                    assertThat(warning).doesNotContain(secret);
                }
            }
        }
    }
}
