package dev.regx.registry.transport;

import java.net.URI;
import java.util.Map;

/**
 * One request as the layers above the exchange see it, before redirects, retries and credentials.
 *
 * @param body the body to send (a token request's form), or null
 * @param contentType the body's media type, or null without a body
 */
public record OutgoingRequest(String method, URI uri, Map<String, String> headers, byte[] body, String contentType) {
    /** A request without a body. */
    public static OutgoingRequest of(String method, URI uri, Map<String, String> headers) {
        return new OutgoingRequest(method, uri, headers, null, null);
    }

    /** The same request sent to {@code next}, as a redirect asks; a 303 turns it into a GET without a body. */
    OutgoingRequest redirectedTo(URI next, int status) {
        return status == 303
                ? new OutgoingRequest("GET", next, headers, null, null)
                : new OutgoingRequest(method, next, headers, body, contentType);
    }
}
