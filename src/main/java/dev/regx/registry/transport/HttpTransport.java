package dev.regx.registry.transport;

import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.javanet.NetHttpTransport;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sends exactly one HTTP request and hands back the response unread. No redirects, no retries, no
 * authentication and no content decoding happen here: those are decisions the layers above make
 * deliberately (credentials must not follow a redirect to another origin; blob bytes must be hashed
 * exactly as the registry stored them).
 */
public final class HttpTransport {
    private final HttpRequestFactory requests;
    private final EnvironmentProxies proxies;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final String userAgent;
    private final HttpTrace trace;

    public HttpTransport(Duration connectTimeout, Duration readTimeout, String userAgent, HttpTrace trace) {
        this(connectTimeout, readTimeout, userAgent, trace, EnvironmentProxies.NONE);
    }

    /** As above, connecting through the proxies the environment names (none: the JVM's own settings). */
    public HttpTransport(Duration connectTimeout, Duration readTimeout, String userAgent, HttpTrace trace,
            EnvironmentProxies proxies) {
        this.proxies = proxies;
        this.requests = (proxies.configured()
                ? new NetHttpTransport.Builder().setConnectionFactory(url -> open(url, proxies)).build()
                : new NetHttpTransport()).createRequestFactory();
        this.connectTimeoutMillis = (int) connectTimeout.toMillis();
        this.readTimeoutMillis = (int) readTimeout.toMillis();
        this.userAgent = userAgent;
        this.trace = trace;
    }

    /**
     * Sends {@code method uri} with the given headers (and body, for POST).
     *
     * @throws IOException when no HTTP response arrives (refused, reset, timed out, TLS failure)
     */
    public HttpResponseStream send(String method, URI uri, Map<String, String> headers, byte[] body,
            String contentType) throws IOException {
        HttpRequest request = requests.buildRequest(method, new GenericUrl(uri),
                body == null ? null : new ByteArrayContent(contentType, body));
        HttpHeaders httpHeaders = new HttpHeaders();
        // google-http-client asks for gzip by default and then may or may not decode it; blobs must be
        // hashed byte for byte, so ask for no content coding at all.
        httpHeaders.setAcceptEncoding(null);
        httpHeaders.setUserAgent(userAgent);
        for (Map.Entry<String, String> h : headers.entrySet()) {
            // Known headers are typed List<String> fields in HttpHeaders; a bare String there would be rejected.
            httpHeaders.set(h.getKey(), List.of(h.getValue()));
        }
        request.setHeaders(httpHeaders)
                .setSuppressUserAgentSuffix(true)
                .setFollowRedirects(false)
                .setThrowExceptionOnExecuteError(false)
                .setNumberOfRetries(0)
                .setRetryOnExecuteIOException(false)
                .setLoggingEnabled(false)
                .setCurlLoggingEnabled(false)
                .setResponseReturnRawInputStream(true)
                .setConnectTimeout(connectTimeoutMillis)
                .setReadTimeout(readTimeoutMillis);
        if (trace.enabled()) {
            Proxy proxy = proxies.proxyFor(uri);
            trace.line("> " + method + " " + Redaction.uri(uri) + describe(headers)
                    + (proxy == Proxy.NO_PROXY ? "" : " (via " + EnvironmentProxies.describe(proxy) + ")"));
        }
        HttpResponse response = request.execute();
        if (response.getStatusCode() < 100) {
            // No valid status line (HttpURLConnection reports -1, google-http-client 0): garbage from a broken
            // proxy or a dying connection. Treat it like a reset, so it is retried, not reported as "HTTP 0".
            try {
                response.disconnect();
            } catch (IOException ignored) {
                // Dropping it anyway.
            }
            throw new java.net.ProtocolException("no valid HTTP status line from " + Redaction.uri(uri));
        }
        Map<String, List<String>> responseHeaders = new LinkedHashMap<>();
        for (Map.Entry<String, Object> h : response.getHeaders().entrySet()) {
            responseHeaders.put(h.getKey(), asStrings(h.getValue()));
        }
        if (trace.enabled()) {
            trace.line("< " + response.getStatusCode() + " " + Redaction.uri(uri));
        }
        return new HttpResponseStream(uri, response.getStatusCode(), responseHeaders,
                "HEAD".equals(method) ? null : response.getContent(), () -> {
                    try {
                        response.disconnect();
                    } catch (IOException ignored) {
                        // The connection is gone either way.
                    }
                });
    }

    private static HttpURLConnection open(URL url, EnvironmentProxies proxies) throws IOException {
        try {
            return (HttpURLConnection) url.openConnection(proxies.proxyFor(url.toURI()));
        } catch (URISyntaxException e) {
            throw new IOException("not a URL regx can send: " + e.getMessage(), e);
        }
    }

    private static String describe(Map<String, String> headers) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String value = h.getKey().equalsIgnoreCase("Authorization") ? Redaction.authorization(h.getValue()) : h.getValue();
            s.append(" [").append(h.getKey()).append(": ").append(value).append(']');
        }
        return s.toString();
    }

    private static List<String> asStrings(Object value) {
        List<String> out = new ArrayList<>();
        if (value instanceof Iterable<?> values) {
            for (Object v : values) {
                out.add(String.valueOf(v));
            }
        } else if (value != null) {
            out.add(String.valueOf(value));
        }
        return out;
    }
}
