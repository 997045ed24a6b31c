package dev.regx.registry.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.URI;
import java.net.URLConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Sends exactly one HTTP request and hands back the response unread. No redirects, no retries, no
 * authentication and no content decoding happen here: those are decisions the layers above make
 * deliberately (credentials must not follow a redirect to another origin; blob bytes must be hashed
 * exactly as the registry stored them).
 *
 * <p>Built directly on the JDK's {@link HttpURLConnection} (connection pooling, TLS, proxies, chunked
 * bodies). google-http-client, which wraps the same class, was used here before; every feature it adds on
 * top (redirects, retries, content decoding, logging, tracing, a reflective header model) was switched
 * off, and its static set-up alone (java.util.logging, the reflective {@code HttpHeaders}, OpenCensus) was a
 * large share of a cold start (README, "Start-up measurements"). Issue 15 asks for it back on that budget.
 */
public final class HttpTransport {
    private final EnvironmentProxies proxies;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final String userAgent;
    private final HttpTrace trace;
    private final TrustedCertificates trust;

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
        Proxy proxy = proxies.proxyFor(uri);
        if (trace.enabled()) {
            trace.line("> " + method + " " + Redaction.uri(uri) + describe(headers)
                    + (proxy == Proxy.NO_PROXY ? "" : " (via " + EnvironmentProxies.describe(proxy) + ")"));
        }
        // Without proxies from the environment, openConnection() leaves the choice to the JVM's ProxySelector
        // (-Dhttps.proxyHost and friends), as a Java user would expect.
        URLConnection opened = proxies.configured()
                ? uri.toURL().openConnection(proxy)
                : uri.toURL().openConnection();
        if (!(opened instanceof HttpURLConnection)) {
            throw new ProtocolException("not an http or https URL: " + Redaction.uri(uri));
        }
        HttpURLConnection connection = (HttpURLConnection) opened;
        if (trust != TrustedCertificates.NONE && "https".equalsIgnoreCase(uri.getScheme())) {
            trust.socketFactory(authority(uri))
                    .ifPresent(((javax.net.ssl.HttpsURLConnection) connection)::setSSLSocketFactory);
        }
        connection.setRequestMethod(method);
        connection.setInstanceFollowRedirects(false);
        connection.setUseCaches(false);
        connection.setConnectTimeout(connectTimeoutMillis);
        connection.setReadTimeout(readTimeoutMillis);
        connection.setRequestProperty("User-Agent", userAgent);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            connection.setRequestProperty(h.getKey(), h.getValue());
        }
        if (body != null) {
            // Small bodies only (token requests). Not streaming mode: the JDK keeps the body so that a 401
            // answer comes back as a response rather than as an HttpRetryException.
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", contentType);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status;
        try {
            status = connection.getResponseCode();
        } catch (IOException e) {
            connection.disconnect();
            throw e;
        }
        if (status < 100) {
            // No valid status line (HttpURLConnection reports -1): garbage from a broken proxy or a dying
            // connection. Treat it like a reset, so it is retried, not reported as "HTTP -1".
            connection.disconnect();
            throw new ProtocolException("no valid HTTP status line from " + Redaction.uri(uri));
        }
        Map<String, List<String>> responseHeaders = responseHeaders(connection);
        if (trace.enabled()) {
            trace.line("< " + status + " " + Redaction.uri(uri));
        }
        return new HttpResponseStream(
                uri, status, responseHeaders, body(connection, method, status, responseHeaders), connection);
    }

    /**
     * The response body as it arrived on the wire, or null when there is none. HttpURLConnection gives the
     * body of a 4xx/5xx answer only through its error stream, and ends a body cut short before its
     * Content-Length as if it were complete, so that is checked here. The length is read from {@code headers},
     * not asked of the connection: for a 4xx/5xx answer each such ask costs a copy of the failure (see
     * {@link #responseHeaders}).
     */
    private InputStream body(HttpURLConnection connection, String method, int status, Map<String, List<String>> headers)
            throws IOException {
        if ("HEAD".equals(method) || status == 204 || status == 304) {
            return null;
        }
        InputStream raw = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (raw == null) {
            return null;
        }
        raw = new StallGuardInputStream(raw, readTimeoutMillis, System::nanoTime);
        // Chunked bodies: the JDK's chunked decoder notices a cut itself. No (valid) length: up to the end.
        long length = headers.containsKey("Transfer-Encoding") ? -1 : contentLength(headers.get("Content-Length"));
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

    /** Headers by case-insensitive name, each with its values in the order they came (no status line). */
    private static Map<String, List<String>> responseHeaders(HttpURLConnection connection) {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        // In one call when no header repeats. Each indexed call below asks the connection for its input stream
        // again, and for a 4xx/5xx answer HttpURLConnection makes a fresh copy of that failure for every ask,
        // by reflection, stack trace and all: a 401's ten headers cost twenty of them (and, past fifteen, JDK
        // 17 generates a reflection accessor class).
        boolean repeats = false;
        for (Map.Entry<String, List<String>> field :
                connection.getHeaderFields().entrySet()) {
            if (field.getKey() == null) {
                continue; // the status line
            }
            if (field.getValue().size() != 1 || headers.containsKey(field.getKey())) {
                repeats = true;
                break;
            }
            List<String> values = new ArrayList<>(1);
            values.add(field.getValue().get(0));
            headers.put(field.getKey(), values);
        }
        if (!repeats) {
            return headers;
        }
        headers.clear();
        // A header that repeats: getHeaderFields() gives its values in reverse order on JDK 17 (in order on
        // 25), and the order of WWW-Authenticate challenges matters, so read them one by one. Index 0 is the
        // status line.
        for (int i = 1; ; i++) {
            String name = connection.getHeaderFieldKey(i);
            String value = connection.getHeaderField(i);
            if (name == null && value == null) {
                return headers;
            }
            if (name != null) {
                List<String> values = headers.get(name);
                if (values == null) {
                    values = new ArrayList<>(1);
                    headers.put(name, values);
                }
                values.add(value);
            }
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
