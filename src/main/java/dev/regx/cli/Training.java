package dev.regx.cli;

import com.sun.net.httpserver.HttpServer;
import dev.regx.registry.blob.Digest;
import dev.regx.registry.manifest.MediaTypes;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * Extra work done only in the run that creates the class-data archive (AppCDS / AOT cache), i.e. when the
 * launcher ({@code src/main/launcher/regx.sh}) passes {@code -Dregx.cds.train=true}: after the user's real
 * command, walk the start-up path of every command quietly, so the archive also covers commands other than
 * the one that happened to run first (often {@code --version}).
 *
 * <p>Everything here must be safe offline and without side effects: no network, no files written, output
 * discarded (the one server it talks to runs in-process on 127.0.0.1). Add representative, side-effect-free start-up work here (e.g. parsing a small manifest) when
 * commands gain it. Failures are ignored: training only affects speed.
 */
final class Training {
    private Training() {
    }

    static boolean requested() {
        return Boolean.getBoolean("regx.cds.train");
    }

    static void run() {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        try {
            for (String[] args : List.of(new String[] {"--version"}, new String[] {"--help"})) {
                quiet(nowhere).execute(args);
            }
            for (String name : quiet(nowhere).getSubcommands().keySet()) {
                quiet(nowhere).execute(name, "--help");
            }
            layersAgainstLoopbackRegistry(nowhere);
        } catch (IOException | RuntimeException | LinkageError ignored) {
            // Only the archive's coverage suffers.
        }
    }

    private static CommandLine quiet(PrintWriter nowhere) {
        return RegxCommand.commandLine().setOut(nowhere).setErr(nowhere);
    }

    /**
     * The whole of {@code regx layers}, against a registry played by an in-process server on 127.0.0.1:
     * challenge, token, manifest, config. Nothing leaves the machine; the Docker config is not read (no
     * credential helper runs).
     */
    private static void layersAgainstLoopbackRegistry(PrintWriter nowhere) throws IOException {
        String digest = "sha256:" + "0".repeat(64);
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"diff_ids\":[\"" + digest + "\"]},"
                + "\"history\":[{\"created_by\":\"ADD x /\"},{\"created_by\":\"CMD x\",\"empty_layer\":true}]}")
                .getBytes(StandardCharsets.UTF_8);
        String configDigest = Digest.sha256(config).toString();
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\"" + digest
                + "\",\"size\":1}]}").getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            boolean authorized = exchange.getRequestHeaders().containsKey("Authorization");
            byte[] body;
            int status = 200;
            if (path.equals("/token")) {
                body = "{\"token\":\"training\",\"expires_in\":300}".getBytes(StandardCharsets.UTF_8);
            } else if (!authorized) {
                exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"" + base + "/token\",service=\"training\"");
                status = 401;
                body = "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}".getBytes(StandardCharsets.UTF_8);
            } else if (path.contains("/manifests/")) {
                exchange.getResponseHeaders().add("Content-Type", MediaTypes.DOCKER_MANIFEST);
                body = manifest;
            } else {
                body = config;
            }
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            Map<String, String> env = Map.of("DOCKER_CONFIG", "/nonexistent/regx-training", "HOME", "/nonexistent/regx-training");
            for (String[] args : List.of(new String[] {"layers", "127.0.0.1:" + server.getAddress().getPort() + "/sample/image:latest"},
                    new String[] {"layers", "--json", "127.0.0.1:" + server.getAddress().getPort() + "/sample/image:latest"})) {
                RegxCommand.commandLine(env::get).setOut(nowhere).setErr(nowhere).execute(args);
            }
        } finally {
            server.stop(0);
        }
    }
}
