package dev.regx.registry.auth;

/**
 * Receives one-line warnings about credential look-ups that failed but need not stop the command
 * (the CLI prints them on stderr). The text never contains a secret.
 */
@FunctionalInterface
public interface CredentialWarnings {
    void warn(String oneLine);
}
