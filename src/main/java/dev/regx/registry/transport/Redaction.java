package dev.regx.registry.transport;

import java.net.URI;

/**
 * How URIs and headers appear in messages and traces. Query strings are dropped because a CDN's signed
 * URL carries its signature there, and that signature is as good as a credential until it expires.
 */
public final class Redaction {
    private Redaction() {}

    /** {@code scheme://host[:port]/path}, without user info or query. */
    public static String uri(URI uri) {
        StringBuilder s = new StringBuilder();
        if (uri.getScheme() != null) {
            s.append(uri.getScheme()).append("://");
        }
        if (uri.getHost() != null) {
            s.append(uri.getHost());
        }
        if (uri.getPort() >= 0) {
            s.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            s.append(uri.getRawPath());
        }
        if (uri.getRawQuery() != null) {
            s.append("?…");
        }
        return s.toString();
    }

    /** An {@code Authorization} value with only its scheme left, e.g. {@code Bearer <redacted>}. */
    public static String authorization(String value) {
        int space = value.indexOf(' ');
        return (space > 0 ? value.substring(0, space) : "credentials") + " <redacted>";
    }
}
