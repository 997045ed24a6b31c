package dev.regx.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CredentialChainTest {
    @Test
    void firstSourceWithACredentialWinsAndLaterOnesAreNotAsked() {
        List<String> asked = new ArrayList<>();
        CredentialSource none = registry -> {
            asked.add("none");
            return Optional.empty();
        };
        CredentialSource first = registry -> {
            asked.add("first");
            return Optional.of(Credential.basic("first", "p"));
        };
        CredentialSource second = registry -> {
            asked.add("second");
            return Optional.of(Credential.basic("second", "p"));
        };

        assertThat(CredentialChain.of(none, first, second).lookup("ghcr.io")).contains(Credential.basic("first", "p"));
        assertThat(asked).containsExactly("none", "first");
    }

    @Test
    void explicitFlagsBeatTheDockerConfigOnlyForTheirRegistry() {
        CredentialSource dockerConfig = registry -> Optional.of(Credential.basic("from-config", "p"));
        CredentialChain chain =
                CredentialChain.of(new StaticCredentials("ghcr.io", Credential.basic("from-flags", "p")), dockerConfig);

        assertThat(chain.lookup("ghcr.io")).contains(Credential.basic("from-flags", "p"));
        assertThat(chain.lookup("quay.io")).contains(Credential.basic("from-config", "p"));
    }

    @Test
    void emptyChainIsAnonymous() {
        assertThat(CredentialChain.of().lookup("docker.io")).isEmpty();
    }
}
