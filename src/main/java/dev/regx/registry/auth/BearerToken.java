package dev.regx.registry.auth;

import java.time.Duration;
import java.time.Instant;

/** A registry token and when it stops being good. {@link #toString()} hides the token. */
public final class BearerToken {
    private final String token;
    private final Instant expiresAt;

    public BearerToken(String token, Instant expiresAt) {
        this.token = token;
        this.expiresAt = expiresAt;
    }

    /**
     * Whether the token should be renewed before use at {@code now}: it is renewed a little early
     * (a tenth of its life, at most ten seconds) so it does not expire between the check and the request.
     */
    public boolean isExpiredAt(Instant now, Duration lifetime) {
        long marginMillis = Math.min(10_000, lifetime.toMillis() / 10);
        return !now.plusMillis(marginMillis).isBefore(expiresAt);
    }

    public String authorizationHeader() {
        return "Bearer " + token;
    }

    @Override
    public String toString() {
        return "BearerToken[expires " + expiresAt + "]";
    }
}
