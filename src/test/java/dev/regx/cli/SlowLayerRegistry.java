package dev.regx.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.regx.registry.Digest;
import dev.regx.registry.manifest.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A registry on loopback serving one image, {@code slow/layers:latest}, whose last layer sends its first 2 MiB at
 * once and then stalls for a minute, while the others come whole: for what a run interrupted mid-download does, a
 * state a real registry on loopback passes through too fast to catch. (Without auth: the token flow is not what
 * these tests are about.)
 */
final class SlowLayerRegistry implements AutoCloseable {
    private static final String REPOSITORY = "slow/layers";
    /** More than the 1 MiB the fetcher reads before it writes, so that the {@code .part} gets bytes. */
    static final int SENT_AT_ONCE = 2 << 20;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "slow-layer-registry");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, byte[]> documents = new HashMap<>();
    private String slowPath;

    private SlowLayerRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/v2/", this::answer);
        server.start();
    }

    /** The image's layers are {@code blobs}, in order (gzip media type); the last one stalls after 2 MiB. */
    static SlowLayerRegistry serving(byte[]... blobs) throws IOException {
        SlowLayerRegistry registry = new SlowLayerRegistry();
        StringBuilder diffIds = new StringBuilder();
        StringBuilder history = new StringBuilder();
        StringBuilder layers = new StringBuilder();
        for (int i = 0; i < blobs.length; i++) {
            String digest = Digest.sha256(blobs[i]).toString();
            String separator = i == 0 ? "" : ",";
            diffIds.append(separator).append('"').append(digest).append('"');
            history.append(separator).append("{\"created_by\":\"ADD ").append(i).append(" /\"}");
            layers.append(separator)
                    .append("{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\"")
                    .append(digest)
                    .append("\",\"size\":")
                    .append(blobs[i].length)
                    .append('}');
            String path = "/v2/" + REPOSITORY + "/blobs/" + digest;
            registry.documents.put(path, blobs[i]);
            registry.slowPath = path;
        }
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\","
                        + "\"diff_ids\":[" + diffIds + "]},\"history\":[" + history + "]}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = Digest.sha256(config).toString();
        registry.documents.put("/v2/" + REPOSITORY + "/blobs/" + configDigest, config);
        registry.documents.put(
                "/v2/" + REPOSITORY + "/manifests/latest",
                ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                                + "\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\","
                                + "\"digest\":\"" + configDigest + "\",\"size\":" + config.length + "},\"layers\":["
                                + layers + "]}")
                        .getBytes(StandardCharsets.UTF_8));
        return registry;
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = path.equals("/v2/") ? new byte[0] : documents.get(path);
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        if (path.contains("/manifests/")) {
            exchange.getResponseHeaders().set("Content-Type", MediaTypes.DOCKER_MANIFEST);
        }
        exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            int atOnce = path.equals(slowPath) ? SENT_AT_ONCE : body.length;
            out.write(body, 0, atOnce);
            if (atOnce < body.length) {
                out.flush();
                Thread.sleep(60_000);
                out.write(body, atOnce, body.length - atOnce);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    String reference() {
        return "127.0.0.1:" + server.getAddress().getPort() + "/" + REPOSITORY + ":latest";
    }

    /** The name {@code save} gives layer {@code index}. */
    static String fileName(int index) {
        return "slow-layers-latest-" + index + ".tar.gzip";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
