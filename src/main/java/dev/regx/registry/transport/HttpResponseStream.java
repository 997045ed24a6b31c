package dev.regx.registry.transport;

import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpResponse;
import dev.regx.registry.RegistryException;
import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A response whose body has not been read yet: status and headers are here, the body is a stream the
 * caller reads (or not) and then closes. A blob's body is streamed, so a 2 GiB blob costs a read buffer's
 * worth of memory; only small bodies are read into memory within their request's attempt ({@link #held}).
 */
public final class HttpResponseStream implements Closeable {
    private final URI uri;
    private final int status;
    private final HttpHeaders headers;
    private final InputStream body;
    /** The exchange, to tear its connection down when the body cannot be closed; null once the body is held. */
    private final HttpResponse exchange;

    /**
     * @param headers google-http-client's, which match names whatever their case (repeated values come in the
     *     order the JDK gives them: reversed on JDK 17, which nothing regx reads depends on)
     */
    HttpResponseStream(URI uri, int status, HttpHeaders headers, InputStream body, HttpResponse exchange) {
        this.uri = uri;
        this.status = status;
        this.headers = headers;
        this.body = body == null ? InputStream.nullInputStream() : body;
        this.exchange = exchange;
    }

    /**
     * This response with its body read whole into memory, at most {@code limit} bytes of it (an error body's
     * summary needs no more), and its connection closed or pooled: a reset while reading is the caller's
     * failed attempt, and what follows can no longer fail on the network.
     *
     * @param refuseLonger true to refuse a body over {@code limit} (see {@link #readBody}), false to keep its
     *     first {@code limit} bytes
     */
    public HttpResponseStream held(int limit, boolean refuseLonger) throws IOException {
        byte[] bytes;
        try {
            bytes = refuseLonger ? readBody(limit) : body.readNBytes(limit);
        } finally {
            close();
        }
        return new HttpResponseStream(uri, status, headers, new ByteArrayInputStream(bytes), null);
    }

    /** The URI this response came from (after any redirects the caller followed). */
    public URI uri() {
        return uri;
    }

    public int status() {
        return status;
    }

    public boolean isSuccess() {
        return status >= 200 && status < 300;
    }

    public boolean isRedirect() {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** The first value of a header, by case-insensitive name. */
    public Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
    }

    /** Every value of a header, by case-insensitive name. */
    public List<String> headers(String name) {
        return headers.getHeaderStringValues(name);
    }

    public InputStream body() {
        return body;
    }

    /**
     * Whether a normal end of {@link #body()} means the server sent all the body it meant to send: true when the
     * length is framed, by {@code Content-Length} ({@link ContentLengthInputStream} turns a cut into an
     * {@link java.io.EOFException}) or by chunked encoding (whose decoder notices a cut itself). A body that runs
     * until the connection closes cannot tell its end from a cut.
     */
    public boolean endIsComplete() {
        return body instanceof ContentLengthInputStream
                || body instanceof ByteArrayInputStream
                || !headers("Transfer-Encoding").isEmpty();
    }

    /**
     * Reads a small body whole, refusing one larger than {@code limit} bytes: a registry talking nonsense, so a
     * malformed answer (exit 7), not a network failure that a retry or another network could mend.
     */
    public byte[] readBody(int limit) throws IOException {
        byte[] bytes = body.readNBytes(limit + 1);
        if (bytes.length > limit) {
            throw new RegistryException(
                    RegistryException.Kind.MALFORMED_RESPONSE,
                    "response body from " + Redaction.uri(uri) + " is larger than " + limit
                            + " bytes, more than such an answer can be; the registry's answer is malformed");
        }
        return bytes;
    }

    /**
     * Closes the body. The connection is not torn down: the JDK returns it to its keep-alive pool when the
     * body was read to the end (or has only a few KiB left), so the token, manifest and config requests
     * that follow reuse one TLS connection instead of paying a handshake each. A body abandoned with much
     * left unread makes the JDK close the socket itself.
     */
    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException e) {
            if (exchange != null) {
                try {
                    exchange.disconnect();
                } catch (IOException ignored) {
                    // Nothing more to tear down.
                }
            }
        }
    }
}
