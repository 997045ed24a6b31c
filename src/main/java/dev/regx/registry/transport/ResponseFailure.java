package dev.regx.registry.transport;

import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns an unsuccessful registry response into a classified, one-line {@link RegistryException}, with the
 * registry's own error code and, for 429, when to retry and Docker Hub's rate-limit headers.
 */
public final class ResponseFailure {
    private ResponseFailure() {}

    /** What to check when a manifest or tag is missing: a typo in the name is the usual cause. */
    public static final String CHECK_THE_NAME = "; check the repository name and the tag or digest";
    /** What to do when a blob is missing: nothing but tell the registry's owner, whose manifest names it. */
    public static final String REGISTRY_LACKS_BLOB =
            "; the registry lacks a blob its manifest names: tell whoever runs it";

    /**
     * @param what what was asked for, e.g. {@code manifest "latest" of docker.io/library/alpine}
     * @param notFoundAdvice what to do after a 404, e.g. {@link #CHECK_THE_NAME}; the caller knows what it asked for
     */
    public static RegistryException of(HttpResponseStream response, String what, String notFoundAdvice) {
        int status = response.status();
        String said = RegistryErrorBody.summary(response);
        return switch (status) {
            case 404 ->
                new RegistryException(Kind.NOT_FOUND, what + " not found (HTTP 404" + said + ")" + notFoundAdvice);
            case 401, 403 ->
                new RegistryException(
                        Kind.UNAUTHORIZED,
                        "access to " + what + " denied (HTTP " + status + said
                                + "); check your credentials (`docker login`, or -u USER --password-stdin)");
            case 429 ->
                new RegistryException(
                        Kind.RATE_LIMITED,
                        "rate limited fetching " + what + " (HTTP 429" + rateLimitDetails(response) + said
                                + "); wait, or log in for a higher limit");
            default ->
                status >= 500
                        ? new RegistryException(
                                Kind.SERVER_ERROR,
                                "registry error fetching " + what + " (HTTP " + status + retryAfter(response) + said
                                        + "); try again later")
                        : new RegistryException(
                                Kind.MALFORMED_RESPONSE, "unexpected HTTP " + status + " fetching " + what + said);
        };
    }

    /**
     * {@code ", retry after 3600 s"} when the response asked for a wait: one longer than regx waits is not retried,
     * and the user hears how long the registry asked for.
     */
    private static String retryAfter(HttpResponseStream response) {
        return response.header("Retry-After")
                .map(r -> ", retry after " + r.trim() + (r.trim().matches("\\d+") ? " s" : ""))
                .orElse("");
    }

    /** {@code ", retry after 30 s, ratelimit-limit 100;w=21600, …"} from the response's headers. */
    static String rateLimitDetails(HttpResponseStream response) {
        List<String> parts = new ArrayList<>();
        String retryAfter = retryAfter(response);
        if (!retryAfter.isEmpty()) {
            parts.add(retryAfter.substring(2));
        }
        for (String h : List.of("ratelimit-limit", "ratelimit-remaining", "docker-ratelimit-source")) {
            response.header(h).ifPresent(v -> parts.add(h + " " + v.trim()));
        }
        return parts.isEmpty() ? "" : ", " + String.join(", ", parts);
    }
}
