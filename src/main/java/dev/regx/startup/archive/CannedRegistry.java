package dev.regx.startup.archive;

import dev.regx.registry.Digest;
import dev.regx.registry.manifest.MediaTypes;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A registry of one image (repository {@code regx/training}, tag {@code latest}), served from memory on
 * 127.0.0.1 with a Bearer token challenge, as a real registry answers: 401 with a challenge, a token, the
 * manifest, its blobs. The archive builder's {@link Training} tour runs regx's commands against it; it never
 * serves a user's command.
 *
 * <p>Plain sockets and hand-written HTTP/1.1 rather than the JDK's HTTP server: it loads a few classes, not
 * a hundred, and whatever the tour loads ends up in the archive, which a JDK 24+ JVM loads whole on every
 * start. Connections are kept alive, as a registry's are, one thread each. Whoever else connects (another
 * local process) gets the same canned answers; nothing it sends is kept beyond one bounded request head.
 */
final class CannedRegistry implements Closeable {
    static final String REPOSITORY = "regx/training";
    private static final int MAX_HEAD = 16 << 10;

    private final ServerSocket socket;
    /** Connections still open, closed with the registry: see {@link #close()}. */
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();

    private final byte[] manifest;
    private final Map<String, byte[]> blobs;

    /** @param blobs the blobs by digest ({@code sha256:…}); the manifest is a Docker schema 2 manifest */
    private CannedRegistry(byte[] manifest, Map<String, byte[]> blobs) throws IOException {
        this.socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        this.manifest = manifest;
        this.blobs = blobs;
        Thread acceptor = new Thread(this::accept, "regx-canned-registry");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Serves an image of one layer (any bytes) with a config naming it, made for linux/amd64. */
    static CannedRegistry start(byte[] layer) throws IOException {
        String layerDigest = Digest.sha256(layer).toString();
        // Shaped like a real image config: long field names and values take the JSON parser down paths that
        // short ones don't.
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"created\":\"2024-01-02T03:04:05.678Z\","
                        + "\"docker_version\":\"24.0.7\",\"config\":{\"Env\":[\"PATH=/usr/local/bin:/usr/bin\"],"
                        + "\"Cmd\":[\"sh\"],"
                        + "\"WorkingDir\":\"/\",\"ExposedPorts\":{\"80/tcp\":{}},\"ArgsEscaped\":true,\"Labels\":{"
                        + "\"org.opencontainers.image.source\":\"https://example.invalid/regx\"}},"
                        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]},"
                        + "\"history\":[{\"created_by\":\"ADD x /\"},{\"created_by\":\"CMD x\",\"empty_layer\":true}]}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = Digest.sha256(config).toString();
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                        + "\",\"config\":{\"mediaType\":"
                        + "\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" + configDigest
                        + "\",\"size\":" + config.length
                        + "},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\","
                        + "\"digest\":\""
                        + layerDigest
                        + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        return new CannedRegistry(manifest, Map.of(layerDigest, layer, configDigest, config));
    }

    /** The image's reference, e.g. {@code 127.0.0.1:41234/regx/training:latest}. */
    String image() {
        return repository() + ":latest";
    }

    /** The repository of {@link #image()}, for {@code regx tags}. */
    String repository() {
        return "127.0.0.1:" + socket.getLocalPort() + "/" + REPOSITORY;
    }

    /**
     * Stops listening and closes every connection, so that none of its threads is left blocked in a socket
     * call (the client keeps its connection open for reuse): a JDK 17 JVM waits up to 300 ms at exit for
     * threads blocked in native code.
     */
    @Override
    public void close() {
        closeQuietly(socket);
        for (Socket connection : connections) {
            closeQuietly(connection);
        }
    }

    private static void closeQuietly(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // Closing anyway.
        }
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                if (socket.isClosed()) {
                    closeQuietly(connection); // accepted as close() ran: it may have missed this one
                }
                Thread t = new Thread(() -> serve(connection), "regx-canned-registry-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException | RuntimeException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection) {
            connection.setSoTimeout(5_000);
            connection.setTcpNoDelay(true); // as registries do; else a small answer waits for a delayed ACK
            InputStream in = new BufferedInputStream(connection.getInputStream());
            OutputStream out = new BufferedOutputStream(connection.getOutputStream());
            for (String head = readHead(in); head != null; head = readHead(in)) {
                answer(head, out);
                out.flush();
            }
        } catch (IOException | RuntimeException ignored) {
            // The client went away, or was not ours, or the registry was closed.
        } finally {
            connections.remove(connection);
        }
    }

    private void answer(String head, OutputStream out) throws IOException {
        String[] requestLine =
                head.substring(0, Math.max(0, head.indexOf('\r'))).split(" ");
        String method = requestLine.length > 1 ? requestLine[0] : "";
        String path = requestLine.length > 1 ? requestLine[1] : "";
        boolean authorized = head.toLowerCase(Locale.ROOT).contains("\r\nauthorization: bearer ");
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        String prefix = "/v2/" + REPOSITORY + "/";
        if (path.equals("/token")) {
            // As long as a real token (a signed JWT): long strings take the JSON parser down a path of their own.
            json(out, method, "{\"token\":\"" + "training".repeat(110) + "\",\"expires_in\":300}");
        } else if (!authorized) {
            respond(
                    out,
                    method,
                    "401 Unauthorized",
                    "application/json",
                    "WWW-Authenticate: Bearer realm=\"http://127.0.0.1:" + socket.getLocalPort()
                            + "/token\",service=\"training\",scope=\"repository:" + REPOSITORY + ":pull\"\r\n",
                    "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}"
                            .getBytes(StandardCharsets.UTF_8));
        } else if (path.startsWith(prefix + "manifests/")) {
            respond(
                    out,
                    method,
                    "200 OK",
                    MediaTypes.DOCKER_MANIFEST,
                    "Docker-Content-Digest: " + Digest.sha256(manifest) + "\r\n",
                    manifest);
        } else if (path.equals(prefix + "tags/list")) {
            json(out, method, "{\"name\":\"" + REPOSITORY + "\",\"tags\":[\"latest\"]}");
        } else if (path.startsWith(prefix + "blobs/") && blobs.containsKey(path.substring(prefix.length() + 6))) {
            respond(
                    out,
                    method,
                    "200 OK",
                    "application/octet-stream",
                    "",
                    blobs.get(path.substring(prefix.length() + 6)));
        } else {
            respond(
                    out,
                    method,
                    "404 Not Found",
                    "application/json",
                    "",
                    "{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** 200 with a JSON document. */
    private static void json(OutputStream out, String method, String document) throws IOException {
        respond(out, method, "200 OK", "application/json", "", document.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(
            OutputStream out, String method, String status, String contentType, String headers, byte[] body)
            throws IOException {
        out.write(("HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                        + "\r\n" + headers + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        if (!method.equals("HEAD")) {
            out.write(body);
        }
    }

    /** The next request's head (a GET or HEAD has no body), or null at the end of the connection. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream(512);
        int state = 0; // how much of "\r\n\r\n" has been seen
        for (int b = in.read(); b >= 0; b = in.read()) {
            head.write(b);
            state = b == '\r' ? (state == 2 ? 3 : 1) : b == '\n' && (state == 1 || state == 3) ? state + 1 : 0;
            if (state == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
            if (head.size() > MAX_HEAD) {
                return null;
            }
        }
        return null;
    }
}
