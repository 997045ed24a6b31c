package dev.regx.registry.transport;

import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.javanet.NetHttpTransport;
import java.io.IOException;
import java.io.InputStream;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sends exactly one HTTP request and hands back the response unread. No redirects, no retries, no
 * authentication and no content decoding happen here: those are decisions the layers above make
 * deliberately (credentials must not follow a redirect to another origin; blob bytes must be hashed
 * exactly as the registry stored them).
 *
 * <p>Built on google-http-client's {@link NetHttpTransport} (the JDK's {@code HttpURLConnection} underneath:
 * connection pooling, TLS, proxies, chunked bodies), made once per run. Of what its {@link HttpRequest}
 * adds, regx keeps the request and header model and switches off the rest, each for a reason: its redirect
 * following drops {@code Authorization} on every hop, same origin too, and would carry it to none (regx follows
 * redirects itself, {@link RedirectFollower}); its retries know nothing of {@code Retry-After} or of a body
 * cut halfway ({@link RetriedRequests} does); its {@code Accept-Encoding: gzip} and transparent decoding would
 * change the bytes a digest is checked against; its logging would print the {@code Authorization} header
 * ({@link HttpTrace} redacts it).
 */
public final class HttpTransport {
    private final EnvironmentProxies proxies;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final String userAgent;
    private final HttpTrace trace;
    private final TrustedCertificates trust;
    private final HttpRequestFactory requests;

    public HttpTransport(Duration connectTimeout, Duration readTimeout, String userAgent, HttpTrace trace) {
        this(connectTimeout, readTimeout, userAgent, trace, EnvironmentProxies.NONE);
    }

    /** As above, connecting through the proxies the environment names (none: the JVM's own settings). */
    public HttpTransport(
            Duration connectTimeout,
            Duration readTimeout,
            String userAgent,
            HttpTrace trace,
            EnvironmentProxies proxies) {
        this(connectTimeout, readTimeout, userAgent, trace, proxies, TrustedCertificates.NONE);
    }

    /** As above, trusting {@code trust}'s CA certificates on top of the system's. */
    public HttpTransport(
            Duration connectTimeout,
            Duration readTimeout,
            String userAgent,
            HttpTrace trace,
            EnvironmentProxies proxies,
            TrustedCertificates trust) {
        this.trust = trust;
        this.proxies = proxies;
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        this.readTimeoutMillis = (int) readTimeout.toMillis();
        this.userAgent = userAgent;
        this.trace = trace;
        this.requests = new NetHttpTransport.Builder()
                .setConnectionFactory(new RoutedConnections(proxies, trust))
                .build()
                .createRequestFactory();
    }

    /** The proxy for {@code uri} and the variable that named it, for messages; empty when connecting directly. */
    public Optional<String> describeProxyFor(URI uri) {
        return proxies.describeFor(uri);
    }

    /** What to do about a certificate {@code hostAndPort} presented that no trusted CA signed. */
    public String untrustedCertificateAdvice(String hostAndPort) {
        return trust.remedyFor(hostAndPort);
    }

    /**
     * Sends {@code method uri} with the given headers (and body, for POST).
     *
     * @throws IOException when no HTTP response arrives (refused, reset, timed out, TLS failure, no valid
     *     status line)
     */
    public HttpResponseStream send(String method, URI uri, Map<String, String> headers, byte[] body, String contentType)
            throws IOException {
        if (trace.enabled()) {
            Proxy proxy = proxies.proxyFor(uri);
            trace.line("> " + method + " " + Redaction.uri(uri) + describe(headers)
                    + (proxy == Proxy.NO_PROXY ? "" : " (via " + EnvironmentProxies.describe(proxy) + ")"));
        }
        HttpRequest request;
        try {
            // Verbatim: a CDN's signed URL must reach it byte for byte, not re-encoded.
            request = requests.buildRequest(
                    method, new GenericUrl(uri, true), body == null ? null : new ByteArrayContent(contentType, body));
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("cannot send " + method + " to " + Redaction.uri(uri));
        }
        request.setFollowRedirects(false)
                .setNumberOfRetries(0)
                .setThrowExceptionOnExecuteError(false)
                .setResponseReturnRawInputStream(true)
                .setLoggingEnabled(false)
                .setCurlLoggingEnabled(false)
                .setSuppressUserAgentSuffix(true)
                .setConnectTimeout(connectTimeoutMillis)
                .setReadTimeout(readTimeoutMillis);
        HttpHeaders sent = new HttpHeaders().setAcceptEncoding(null).setUserAgent(userAgent);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            // Its header model holds every value as a list, known names (Authorization, Range) included.
            sent.set(h.getKey(), new ArrayList<>(List.of(h.getValue())));
        }
        request.setHeaders(sent);
        HttpResponse response;
        try {
            response = request.execute();
        } catch (IllegalArgumentException e) {
            // Its header model parses typed headers as they arrive: a Content-Length or Age that is not a
            // number fails there. Not an answer regx can read; retried like any garbled response.
            throw new ProtocolException("unreadable response headers from " + Redaction.uri(uri));
        }
        int status = response.getStatusCode();
        if (status < 100) {
            // No valid status line (HttpURLConnection reports -1, google-http-client 0): garbage from a broken
            // proxy or a dying connection. Treat it like a reset, so it is retried, not reported as "HTTP 0".
            response.disconnect();
            throw new ProtocolException("no valid HTTP status line from " + Redaction.uri(uri));
        }
        if (trace.enabled()) {
            trace.line("< " + status + " " + Redaction.uri(uri));
        }
        return new HttpResponseStream(uri, status, response.getHeaders(), body(response, method, status), response);
    }

    /**
     * The response body as it arrived on the wire, or null when there is none. HttpURLConnection ends a body cut
     * short before its Content-Length as if it were complete; google-http-client notices such a cut only once
     * some bytes arrived, so a body cut before its first byte is checked here too.
     */
    private InputStream body(HttpResponse response, String method, int status) throws IOException {
        if ("HEAD".equals(method) || status == 204 || status == 304) {
            return null;
        }
        InputStream raw = response.getContent();
        if (raw == null) {
            return null;
        }
        raw = new StallGuardInputStream(raw, readTimeoutMillis, System::nanoTime);
        // Chunked bodies: the JDK's chunked decoder notices a cut itself. No (valid) length: up to the end.
        HttpHeaders headers = response.getHeaders();
        long length = headers.getFirstHeaderStringValue("Transfer-Encoding") != null
                ? -1
                : contentLength(headers.getHeaderStringValues("Content-Length"));
        return length < 0 ? raw : new ContentLengthInputStream(raw, length);
    }

    /** {@code host[:port]} as the URI names it: the name of the host's certs.d directory. */
    public static String authority(URI uri) {
        return uri.getPort() >= 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
    }

    /** The length a Content-Length header gives, -1 if none or not one valid number (as HttpURLConnection reads it). */
    static long contentLength(List<String> values) {
        if (values == null || values.size() != 1) {
            return -1;
        }
        try {
            return Long.parseLong(values.get(0).trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String describe(Map<String, String> headers) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String value =
                    h.getKey().equalsIgnoreCase("Authorization") ? Redaction.authorization(h.getValue()) : h.getValue();
            s.append(" [").append(h.getKey()).append(": ").append(value).append(']');
        }
        return s.toString();
    }
}
