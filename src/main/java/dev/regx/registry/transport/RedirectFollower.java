package dev.regx.registry.transport;

import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Sends a request and follows the redirects it gets, up to {@value #MAX_REDIRECTS}, carrying
 * {@code Authorization} only to the origin whose challenge it answers. A registry's blob redirect leads to a
 * CDN whose signed URL is its own authorization: the registry's token must never reach it (Docker Hub's CDN
 * even refuses requests that carry one).
 */
public final class RedirectFollower {
    private static final int MAX_REDIRECTS = 10;

    private final HttpTransport http;

    public RedirectFollower(HttpTransport http) {
        this.http = http;
    }

    /**
     * Sends {@code request}, following redirects; the response is the first that is not a redirect.
     *
     * @param authorization the {@code Authorization} value, sent only to {@code authorizedOrigin}'s scheme, host
     *     and port; null for none
     */
    public HttpResponseStream send(OutgoingRequest request, String authorization, URI authorizedOrigin)
            throws IOException {
        OutgoingRequest current = request;
        for (int hop = 0; ; hop++) {
            Map<String, String> sent = current.headers();
            if (authorization != null && RegistryEndpoint.sameOrigin(authorizedOrigin, current.uri())) {
                sent = new LinkedHashMap<>(sent);
                sent.put("Authorization", authorization);
            }
            HttpResponseStream response =
                    http.send(current.method(), current.uri(), sent, current.body(), current.contentType());
            if (!response.isRedirect()) {
                return response;
            }
            Optional<String> location = response.header("Location");
            response.close();
            URI from = current.uri();
            if (location.isEmpty()) {
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE, Redaction.uri(from) + " redirected without a Location");
            }
            if (hop >= MAX_REDIRECTS) {
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE,
                        "more than " + MAX_REDIRECTS + " redirects from " + Redaction.uri(request.uri()));
            }
            URI next;
            try {
                next = from.resolve(location.get());
            } catch (IllegalArgumentException e) {
                // A space, a control byte: not a URI. The Location is not quoted: it is the server's text.
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE,
                        Redaction.uri(from) + " redirected to a Location that is not a valid URL");
            }
            if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE, "redirect to a non-HTTP URL from " + Redaction.uri(from));
            }
            current = current.redirectedTo(next, response.status());
        }
    }
}
