package dev.regx.registry.transport;

import dev.regx.registry.RegistryException;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A response whose body has not been read yet: status and headers are here, the body is a stream the
 * caller reads (or not) and then closes. Bodies are never buffered by the transport, so a 2 GiB blob
 * costs a read buffer's worth of memory.
 */
public final class HttpResponseStream implements Closeable {
    private final URI uri;
    private final int status;
    private final Map<String, List<String>> headers;
    private final InputStream body;
    private final HttpURLConnection connection;

    /**
     * @param headers by case-insensitive name ({@code new TreeMap<>(String.CASE_INSENSITIVE_ORDER)}), each
     *     name with its values in the order they came: {@link HttpTransport} merges them so
     */
    HttpResponseStream(
            URI uri, int status, Map<String, List<String>> headers, InputStream body, HttpURLConnection connection) {
        this.uri = uri;
        this.status = status;
        this.headers = headers;
        this.body = body == null ? InputStream.nullInputStream() : body;
        this.connection = connection;
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
        return headers.getOrDefault(name, List.of());
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
            connection.disconnect();
        }
    }
}
