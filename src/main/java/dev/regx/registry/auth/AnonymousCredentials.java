package dev.regx.registry.auth;

import java.util.Optional;

/** {@link CredentialSource#anonymous()}: no credential for any registry. */
final class AnonymousCredentials implements CredentialSource {
    static final AnonymousCredentials INSTANCE = new AnonymousCredentials();

    private AnonymousCredentials() {}

    @Override
    public Optional<Credential> lookup(String registry) {
        return Optional.empty();
    }
}
