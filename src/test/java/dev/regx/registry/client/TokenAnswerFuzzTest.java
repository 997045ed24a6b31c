package dev.regx.registry.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.regx.registry.ImageReference;
import dev.regx.registry.JsonDocument;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.manifest.MediaTypes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Fuzzes the token server's answer as regx reads it: a registry on 127.0.0.1 asks for a Bearer token, the token
 * server answers the fuzzer's bytes, and fetching a manifest either works or fails as a malformed answer (exit 7),
 * never echoing the token it refused.
 */
class TokenAnswerFuzzTest {
    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST
                    + "\",\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":"
                    + "\"sha256:" + "a".repeat(64) + "\",\"size\":2},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);

    private static HttpServer server;
    private static volatile byte[] answer = new byte[0];

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/token", exchange -> send(exchange, 200, "application/json", answer));
        server.createContext("/v2/", TokenAnswerFuzzTest::registry);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    private static void registry(HttpExchange exchange) throws IOException {
        if (exchange.getRequestHeaders().getFirst("Authorization") == null) {
            exchange.getResponseHeaders()
                    .set(
                            "WWW-Authenticate",
                            "Bearer realm=\"http://127.0.0.1:"
                                    + server.getAddress().getPort() + "/token\",service=\"fuzz\"");
            send(exchange, 401, "application/json", "{\"errors\":[]}".getBytes(StandardCharsets.UTF_8));
        } else {
            send(exchange, 200, MediaTypes.DOCKER_MANIFEST, MANIFEST);
        }
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @FuzzTest
    void anyTokenAnswerGivesTheManifestOrAMalformedAnswer(byte[] tokenAnswer) {
        // Jazzer's SSRF detector (fuzzing mode) flags every connection but those allowed: this server's only.
        try (SilentCloseable loopbackOnly = BugDetectors.allowNetworkConnections((host, port) ->
                port == server.getAddress().getPort() && (host.equals("127.0.0.1") || host.equals("localhost")))) {
            fetchWithTokenAnswer(tokenAnswer);
        }
    }

    private static void fetchWithTokenAnswer(byte[] tokenAnswer) {
        answer = tokenAnswer;
        RegistryClient client =
                RegistryClient.builder().readTimeout(Duration.ofSeconds(2)).build();
        ImageReference ref =
                ImageReference.parse("127.0.0.1:" + server.getAddress().getPort() + "/fuzz/x:1");
        try {
            assertThat(client.named(ref).bytes()).isEqualTo(MANIFEST);
        } catch (RegistryException e) {
            assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
            String token = tokenIn(tokenAnswer);
            if (token != null && token.length() >= 8) {
                assertThat(e.getMessage()).doesNotContain(token);
            }
        }
    }

    /** The token the answer holds, if it is JSON with one. */
    private static String tokenIn(byte[] tokenAnswer) {
        try {
            var json = JsonDocument.readTree(tokenAnswer);
            String token = json.path("token").asText("");
            return token.isEmpty() ? json.path("access_token").asText(null) : token;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
