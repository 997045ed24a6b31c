package dev.regx.registry.transport;

import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns an unsuccessful registry response into a classified, one-line {@link RegistryException}, with the
 * registry's own error code and, for 429, when to retry and Docker Hub's rate-limit headers.
 */
public final class ResponseFailure {
    private ResponseFailure() {
    }

    /**
     * @param what what was asked for, e.g. {@code manifest "latest" of docker.io/library/alpine}
     */
    public static RegistryException of(HttpResponseStream response, String what) {
        int status = response.status();
        String said = RegistryErrorBody.summary(response);
        return switch (status) {
            case 404 -> new RegistryException(Kind.NOT_FOUND, what + " not found (HTTP 404" + said + ")" + notFoundAdvice(what));
            case 401, 403 -> new RegistryException(Kind.UNAUTHORIZED, "access to " + what + " denied (HTTP " + status + said
                    + "); check your credentials (`docker login`, --username)");
            case 429 -> new RegistryException(Kind.RATE_LIMITED, "rate limited fetching " + what + " (HTTP 429"
                    + rateLimitDetails(response) + said + "); wait, or log in for a higher limit");
            default -> status >= 500
                    ? new RegistryException(Kind.SERVER_ERROR, "registry error fetching " + what + " (HTTP " + status + said
                            + "); try again later")
                    : new RegistryException(Kind.MALFORMED_RESPONSE, "unexpected HTTP " + status + " fetching " + what + said);
        };
    }

    /**
     * What to check after a 404: the name and tag for a manifest (a typo is the usual cause); for a blob the
     * user can do nothing but tell the registry's owner, as the registry lacks what its own manifest names.
     */
    private static String notFoundAdvice(String what) {
        if (what.startsWith("blob ")) {
            return "; the registry lacks a blob its manifest names: tell whoever runs it";
        }
        return "; check the repository name and the tag or digest";
    }

    /** {@code ", retry after 30 s, ratelimit-limit 100;w=21600, …"} from the response's headers. */
    static String rateLimitDetails(HttpResponseStream response) {
        List<String> parts = new ArrayList<>();
        Optional<String> retryAfter = response.header("Retry-After");
        retryAfter.ifPresent(r -> parts.add("retry after " + r.trim() + (r.trim().matches("\\d+") ? " s" : "")));
        for (String h : List.of("ratelimit-limit", "ratelimit-remaining", "docker-ratelimit-source")) {
            response.header(h).ifPresent(v -> parts.add(h + " " + v.trim()));
        }
        return parts.isEmpty() ? "" : ", " + String.join(", ", parts);
    }
}
