package dev.regx.registry.auth;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Asks sources in order and takes the first credential found: explicit flags
 * ({@link StaticCredentials}) before the Docker config ({@link DockerConfigCredentials}). A source that
 * answers empty (including one that failed and warned) passes the question on.
 */
public final class CredentialChain implements CredentialSource {
    private final List<CredentialSource> sources;

    public CredentialChain(List<? extends CredentialSource> sources) {
        this.sources = List.copyOf(sources);
    }

    public static CredentialChain of(CredentialSource... sources) {
        return new CredentialChain(List.of(sources));
    }

    /** The sources, in the order they are asked. */
    public List<CredentialSource> sources() {
        return sources;
    }

    @Override
    public Optional<Credential> lookup(String registry) {
        Objects.requireNonNull(registry, "registry");
        for (CredentialSource source : sources) {
            Optional<Credential> found = source.lookup(registry);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return "CredentialChain" + sources;
    }
}
