package dev.regx.registry.auth;

import java.util.Objects;

/**
 * What a user proves their identity with at one registry: a username and password, or an identity token
 * (an OAuth2 refresh token, as {@code docker login} stores for some registries and credential helpers
 * return with the username {@code <token>}).
 *
 * <p>{@link #toString()} never shows the secret: credentials end up in exception messages and debugger
 * output more often than anyone intends.
 */
public final class Credential {
    /** The username credential helpers use to say "the secret is an identity token". */
    public static final String IDENTITY_TOKEN_USERNAME = "<token>";

    private final String username;
    private final String secret;
    private final boolean identityToken;

    private Credential(String username, String secret, boolean identityToken) {
        this.username = username;
        this.secret = Objects.requireNonNull(secret, "secret");
        this.identityToken = identityToken;
    }

    public static Credential basic(String username, String password) {
        return new Credential(Objects.requireNonNull(username, "username"), password, false);
    }

    public static Credential identityToken(String username, String token) {
        return new Credential(username, token, true);
    }

    /** The username; for identity tokens it may be {@code <token>} or the account name. */
    public String username() {
        return username;
    }

    /** The password, or the refresh token when {@link #isIdentityToken()}. */
    public String secret() {
        return secret;
    }

    public boolean isIdentityToken() {
        return identityToken;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Credential c
                && Objects.equals(username, c.username)
                && secret.equals(c.secret)
                && identityToken == c.identityToken;
    }

    @Override
    public int hashCode() {
        return Objects.hash(username, secret, identityToken);
    }

    @Override
    public String toString() {
        return identityToken ? "Credential[identity token]" : "Credential[user=" + username + ", password=***]";
    }
}
