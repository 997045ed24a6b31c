package dev.regx.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for the CDN / object store that real registries redirect blob downloads to (Docker Hub's blobs
 * answer 307 to a signed Cloudflare/S3 URL). The registry's {@code redirect} storage middleware sends blob
 * GET and HEAD to this server's URL + the storage path ({@code /docker/registry/v2/blobs/sha256/xx/HEX/data}),
 * and this server serves that file from the registry's storage root.
 *
 * <p>Like S3, it answers 400 "Only one auth mechanism allowed" to any request that carries an
 * {@code Authorization} header: a client that forwards the registry's token to the CDN both fails there and
 * leaks the token to a third party. {@link #authorizationRejections()} counts those, so a test can assert 0.
 *
 * <p>Honours {@code Range: bytes=N-} and {@code bytes=N-M} with 206 (resumed downloads), unless
 * {@link #rangeSupport(boolean) rangeSupport(false)}, when it answers 200 with the whole file as some
 * servers do. Files are streamed, never read whole into memory.
 *
 * <p>Faults for the tests of ranged, parallel downloads: an answer cut after some bytes ({@link #cutOnce}), a
 * wrong byte in whatever answer carries a given offset ({@link #corruptByte}), answers held back ({@link
 * #delayBodies}). {@link #clearRequests()} clears them too.
 */
public final class BlobRedirectServer implements AutoCloseable {
    /** S3's message for a signed URL that also carries an Authorization header. */
    public static final String ONE_AUTH_MECHANISM = "Only one auth mechanism allowed; only the X-Amz-Algorithm query"
            + " parameter, Signature query string parameter or the Authorization header should be specified";

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-(\\d*)");

    /** One request as seen: method, path, the Range header if any, whether it had Authorization, the status. */
    public record Request(String method, String path, String range, boolean hadAuthorization, int status) {}

    private final HttpServer server;
    private final Path root;
    private final AtomicInteger authorizationRejections = new AtomicInteger();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile boolean rangeSupport = true;
    /** Range start of the next answer to cut, and after how many body bytes; -1 for none. */
    private volatile long cutStart = -1;

    private volatile long cutAfter;
    private volatile long corruptOffset = -1;
    private volatile int delayMillis;
    /** Bytes of each answer sent at full speed before the rest drips; -1: no cap. */
    private volatile long capAfter = -1;
    /** What a capped answer sends at a time, and the pause after each piece. */
    private volatile int dripBytes;

    private volatile int dripPauseMillis;

    private BlobRedirectServer(Path root, int port) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.server = HttpServers.start("blob-redirect", port);
        server.createContext("/", this::handle);
    }

    /** Serves files under {@code root} (a registry's storage root) on a free 127.0.0.1 port. */
    public static BlobRedirectServer start(Path root) throws IOException {
        return new BlobRedirectServer(root, 0);
    }

    public static BlobRedirectServer start(Path root, int port) throws IOException {
        return new BlobRedirectServer(root, port);
    }

    /** {@code http://127.0.0.1:PORT/}: the middleware's {@code baseurl}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Whether {@code Range} requests get 206 (default) or the whole file with 200. */
    public void rangeSupport(boolean enabled) {
        this.rangeSupport = enabled;
    }

    /** How many requests were refused for carrying an {@code Authorization} header. Tests want 0. */
    public int authorizationRejections() {
        return authorizationRejections.get();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public void clearRequests() {
        requests.clear();
        authorizationRejections.set(0);
        cutStart = -1;
        corruptOffset = -1;
        delayMillis = 0;
        capAfter = -1;
    }

    /** The next answer whose body starts at byte {@code start} sends {@code bytes} of it, then the connection breaks. */
    public void cutOnce(long start, long bytes) {
        this.cutAfter = bytes;
        this.cutStart = start;
    }

    /** Every answer that carries byte {@code offset} of a file carries it wrong (its bits flipped). */
    public void corruptByte(long offset) {
        this.corruptOffset = offset;
    }

    /**
     * Each answer sends its first {@code freeBytes} at full speed, then drips the rest (4 KiB a millisecond): a CDN
     * that lets a request's first megabytes through, then caps the connection (as nginx's {@code limit_rate} does).
     */
    public void capAfter(long freeBytes) {
        capAfter(freeBytes, 4 << 10, 1);
    }

    /**
     * As {@link #capAfter(long)}, the rest sent {@code pieceBytes} at a time, {@code pauseMillis} apart: large pieces
     * far apart are a CDN that caps a connection in bursts.
     */
    public void capAfter(long freeBytes, int pieceBytes, int pauseMillis) {
        this.dripBytes = pieceBytes;
        this.dripPauseMillis = pauseMillis;
        this.capAfter = freeBytes;
    }

    /** Each answer waits {@code millis} before its body goes out: a slow CDN, for a download to interrupt. */
    public void delayBodies(int millis) {
        this.delayMillis = millis;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String range = exchange.getRequestHeaders().getFirst("Range");
            boolean auth = exchange.getRequestHeaders().containsKey("Authorization");
            // Recorded just before the status goes out, so a client that has its answer finds its request here.
            serve(
                    exchange,
                    method,
                    path,
                    range,
                    auth,
                    status -> requests.add(new Request(method, path, range, auth, status)));
        }
    }

    private int serve(HttpExchange exchange, String method, String path, String range, boolean auth, IntConsumer record)
            throws IOException {
        if (auth) {
            authorizationRejections.incrementAndGet();
            return error(exchange, record, 400, "InvalidArgument", ONE_AUTH_MECHANISM);
        }
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return error(exchange, record, 405, "MethodNotAllowed", method + " is not allowed");
        }
        Path file =
                root.resolve(path.startsWith("/") ? path.substring(1) : path).normalize();
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            return error(exchange, record, 404, "NoSuchKey", "The specified key does not exist.");
        }
        long size = Files.size(file);
        long start = 0;
        long end = size - 1;
        int status = 200;
        if (range != null && rangeSupport) {
            Matcher m = RANGE.matcher(range.trim());
            if (!m.matches()) {
                return error(exchange, record, 416, "InvalidRange", "unsupported Range " + range);
            }
            start = Long.parseLong(m.group(1));
            if (!m.group(2).isEmpty()) {
                end = Math.min(end, Long.parseLong(m.group(2)));
            }
            if (start >= size || end < start) {
                exchange.getResponseHeaders().set("Content-Range", "bytes */" + size);
                return error(exchange, record, 416, "InvalidRange", "The requested range is not satisfiable");
            }
            status = 206;
            exchange.getResponseHeaders().set("Content-Range", "bytes " + start + "-" + end + "/" + size);
        }
        long length = end - start + 1;
        exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
        exchange.getResponseHeaders().set("Accept-Ranges", rangeSupport ? "bytes" : "none");
        if ("HEAD".equals(method)) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
            record.accept(status);
            exchange.sendResponseHeaders(status, -1);
            return status;
        }
        record.accept(status);
        exchange.sendResponseHeaders(status, length == 0 ? -1 : length);
        long cut = length;
        if (cutStart == start) {
            cutStart = -1;
            cut = Math.min(length, cutAfter);
        }
        try (InputStream in = Files.newInputStream(file);
                OutputStream out = exchange.getResponseBody()) {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            in.skipNBytes(start);
            byte[] buf = new byte[Math.max(1 << 16, dripBytes)];
            long sent = 0;
            while (sent < cut) {
                boolean drip = capAfter >= 0 && sent >= capAfter;
                int n = in.read(buf, 0, (int) Math.min(drip ? dripBytes : buf.length, cut - sent));
                if (n < 0) {
                    break;
                }
                long corrupt = corruptOffset - (start + sent);
                if (corrupt >= 0 && corrupt < n) {
                    buf[(int) corrupt] ^= (byte) 0xff;
                }
                out.write(buf, 0, n);
                sent += n;
                if (drip) {
                    out.flush();
                    Thread.sleep(dripPauseMillis);
                }
            }
            if (sent < length) {
                // Thrown out of the handler, which makes HttpServer close the connection: the cut.
                throw new CutConnection();
            }
        } catch (CutConnection e) {
            throw e;
        } catch (IOException e) {
            // the client went away mid-download (e.g. a test cancelling): nothing to do
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return status;
    }

    private static int error(HttpExchange exchange, IntConsumer record, int status, String code, String message)
            throws IOException {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message></Error>";
        record.accept(status);
        HttpServers.send(exchange, status, "application/xml", xml.getBytes(StandardCharsets.UTF_8));
        return status;
    }

    /** Leaves the handler so that the connection is closed mid-body. */
    private static final class CutConnection extends IOException {
        private static final long serialVersionUID = 1L;

        CutConnection() {
            super("connection cut on purpose");
        }
    }

    @Override
    public void close() {
        HttpServers.stop(server);
    }

    @Override
    public String toString() {
        return "BlobRedirectServer[" + baseUri() + " → " + root + "]";
    }
}
