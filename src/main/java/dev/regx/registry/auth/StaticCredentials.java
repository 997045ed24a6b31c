package dev.regx.registry.auth;

import dev.regx.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * One credential given explicitly ({@code --username} with {@code --password-stdin}) for one registry,
 * the registry of the image reference. It is put first in a {@link CredentialChain}, so it beats the
 * Docker config; other registries get nothing from it. Docker Hub's names ({@code docker.io},
 * {@code index.docker.io}, {@code registry-1.docker.io}) count as one registry, and host names are compared
 * ignoring case.
 */
public final class StaticCredentials implements CredentialSource {
    private final String registry;
    private final Credential credential;

    public StaticCredentials(String registry, Credential credential) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.credential = Objects.requireNonNull(credential, "credential");
        if (registry.isBlank()) {
            throw new UsageException("registry is empty");
        }
    }

    /**
     * {@code username} with the password read from {@code stdin} to its end, as {@code docker login
     * --password-stdin} does: one trailing {@code \n} and then one trailing {@code \r} are dropped,
     * nothing else.
     *
     * @throws IllegalArgumentException if the username is empty or no password was given; the message
     *                                  never contains the password
     * @throws IOException              if standard input cannot be read
     */
    public static StaticCredentials fromPasswordStdin(String registry, String username, InputStream stdin)
            throws IOException {
        Objects.requireNonNull(username, "username");
        if (username.isEmpty()) {
            throw new UsageException("--username is empty");
        }
        String password = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        if (password.endsWith("\n")) {
            password = password.substring(0, password.length() - 1);
        }
        if (password.endsWith("\r")) {
            password = password.substring(0, password.length() - 1);
        }
        if (password.isEmpty()) {
            throw new UsageException("--password-stdin: no password on standard input");
        }
        return new StaticCredentials(registry, Credential.basic(username, password));
    }

    /** The registry the credential is for, as given. */
    public String registry() {
        return registry;
    }

    @Override
    public Optional<Credential> lookup(String registry) {
        return RegistryHosts.canonical(registry).equals(RegistryHosts.canonical(this.registry))
                ? Optional.of(credential)
                : Optional.empty();
    }

    @Override
    public String toString() {
        return "StaticCredentials[" + registry + ", " + credential + "]";
    }
}
