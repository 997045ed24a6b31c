package dev.regx.registry.auth;

import java.util.Optional;

/** Where credentials for a registry come from: the command line, the Docker config, a helper. */
public interface CredentialSource {

    /**
     * The credential for {@code registry}, the host (and port) as written in the image reference
     * ({@code docker.io} for Docker Hub), or empty to go anonymous.
     *
     * <p>Problems that should not stop a public pull (a missing helper, a helper that fails) are reported
     * through the {@link CredentialWarnings} given at construction and answered with empty.
     */
    Optional<Credential> lookup(String registry);

    /** No credentials anywhere: every request goes anonymous. */
    static CredentialSource anonymous() {
        return AnonymousCredentials.INSTANCE;
    }
}
