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

    /**
     * Whether {@code token} is an RFC 6750 b64token ({@code 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" /
     * "/" ) *"="}), as JWTs and opaque tokens are. Anything else (a CR or LF above all) would break the
     * {@code Authorization} header it goes into, and the JDK's refusal would quote the token in its message.
     */
    public static boolean isWellFormed(String token) {
        int end = token.length();
        while (end > 0 && token.charAt(end - 1) == '=') {
            end--;
        }
        if (end == 0) {
            return false;
        }
        for (int i = 0; i < end; i++) {
            char c = token.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '+'
                    || c == '/';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    public String authorizationHeader() {
        return "Bearer " + token;
    }

    @Override
    public String toString() {
        return "BearerToken[expires " + expiresAt + "]";
    }
}
