package dev.regx.registry.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ProtocolException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport against a server on 127.0.0.1 that answers with exact bytes, so that what the JDK's HTTP
 * client does with odd answers (a body cut short, repeated headers, an error body, no status line) is seen
 * as a registry or a broken proxy would make it happen.
 */
class HttpTransportTest {
    private final List<String> trace = new ArrayList<>();
    private final HttpTransport transport =
            new HttpTransport(Duration.ofSeconds(5), Duration.ofSeconds(5), "regx-test/1", new HttpTrace() {
                @Override
                public boolean enabled() {
                    return true;
                }

                @Override
                public void line(String line) {
                    trace.add(line);
                }
            });
    private ScriptedServer server;

    @BeforeEach
    void start() throws IOException {
        server = new ScriptedServer();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    @Test
    void bodyCutShortOfItsContentLengthIsAnErrorNotAnEarlyEnd() throws Exception {
        server.answer(
                "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nContent-Type: application/json\r\n\r\n{\"schemaVersion\":");

        try (HttpResponseStream response =
                transport.send("GET", server.uri("/v2/a/manifests/latest"), Map.of(), null, null)) {
            assertThat(response.status()).isEqualTo(200);
            assertThatThrownBy(() -> response.body().readAllBytes())
                    .isInstanceOf(EOFException.class)
                    .hasMessage("connection closed after 17 of 100 bytes");
        }
    }

    @Test
    void chunkedBodyCutShortIsAnErrorNotAnEarlyEnd() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{\"schemaVersion\"");

        try (HttpResponseStream response =
                transport.send("GET", server.uri("/v2/a/manifests/latest"), Map.of(), null, null)) {
            assertThatThrownBy(() -> response.body().readAllBytes()).isInstanceOf(IOException.class);
        }
    }

    @Test
    void bodyOfExactlyItsContentLengthReadsWhole() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");

        try (HttpResponseStream response = transport.send("GET", server.uri("/x"), Map.of(), null, null)) {
            assertThat(new String(response.body().readAllBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("hello");
        }
    }

    @Test
    void repeatedHeadersAreAllThereAndNamesMatchWhateverTheirCase() throws Exception {
        // Their order is the JDK's: getHeaderFields(), which google-http-client reads, lists such values last to
        // first on JDK 17. Nothing regx reads depends on it (a challenge is chosen by its scheme).
        server.answer("HTTP/1.1 401 Unauthorized\r\nwww-authenticate: Bearer realm=\"a\"\r\nX-One: 1\r\n"
                + "WWW-Authenticate: Basic realm=\"b\"\r\nWWW-Authenticate: Bearer realm=\"c\"\r\n"
                + "Docker-Content-Digest: sha256:00\r\nContent-Length: 0\r\n\r\n");

        try (HttpResponseStream response = transport.send("GET", server.uri("/v2/"), Map.of(), null, null)) {
            assertThat(response.headers("WWW-Authenticate"))
                    .containsExactlyInAnyOrder("Bearer realm=\"a\"", "Basic realm=\"b\"", "Bearer realm=\"c\"");
            assertThat(response.header("docker-content-digest")).contains("sha256:00");
            assertThat(response.header("X-One")).contains("1");
        }
    }

    @Test
    void anErrorAnswersHeadersAreAllThere() throws Exception {
        server.answer("HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm=\"a\"\r\nX-One: 1\r\n"
                + "Docker-Distribution-Api-Version: registry/2.0\r\nContent-Length: 0\r\n\r\n");

        try (HttpResponseStream response = transport.send("GET", server.uri("/v2/"), Map.of(), null, null)) {
            assertThat(response.headers("WWW-Authenticate")).containsExactly("Bearer realm=\"a\"");
            assertThat(response.header("x-one")).contains("1");
            assertThat(response.header("Docker-Distribution-API-Version")).contains("registry/2.0");
            assertThat(response.header("Content-Length")).contains("0");
        }
    }

    @Test
    void errorStatusesStillHandOverTheirBody() throws Exception {
        String body = "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}";
        server.answer("HTTP/1.1 404 Not Found\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);

        try (HttpResponseStream response =
                transport.send("GET", server.uri("/v2/a/manifests/nope"), Map.of(), null, null)) {
            assertThat(response.status()).isEqualTo(404);
            assertThat(new String(response.readBody(1000), StandardCharsets.UTF_8))
                    .isEqualTo(body);
        }
    }

    @Test
    void anErrorBodyCutShortOfItsContentLengthIsAnErrorToo() throws Exception {
        server.answer("HTTP/1.1 401 Unauthorized\r\ncontent-length: 40\r\n\r\n{\"errors\":[");

        try (HttpResponseStream response = transport.send("GET", server.uri("/v2/"), Map.of(), null, null)) {
            assertThat(response.status()).isEqualTo(401);
            assertThatThrownBy(() -> response.body().readAllBytes())
                    .isInstanceOf(EOFException.class)
                    .hasMessage("connection closed after 11 of 40 bytes");
        }
    }

    @Test
    void aContentLengthCountsOnlyWhenItIsOneNumber() {
        assertThat(HttpTransport.contentLength(List.of("12"))).isEqualTo(12);
        assertThat(HttpTransport.contentLength(List.of(" 12 "))).isEqualTo(12);
        assertThat(HttpTransport.contentLength(null)).isEqualTo(-1);
        assertThat(HttpTransport.contentLength(List.of("twelve"))).isEqualTo(-1);
        assertThat(HttpTransport.contentLength(List.of("12", "13"))).isEqualTo(-1);
    }

    @Test
    void redirectsAreHandedBackNotFollowed() throws Exception {
        server.answer(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\n\r\n");

        try (HttpResponseStream response =
                transport.send("GET", server.uri("/v2/a/blobs/sha256:00"), Map.of(), null, null)) {
            assertThat(response.isRedirect()).isTrue();
            assertThat(response.header("Location")).contains("http://127.0.0.1:1/elsewhere");
        }
        assertThat(server.requests()).hasSize(1);
    }

    @Test
    void noValidStatusLineIsAProtocolFailure() {
        server.answer("SSH-2.0-OpenSSH_9.6\r\n\r\n");

        assertThatThrownBy(() -> transport.send("GET", server.uri("/v2/"), Map.of(), null, null))
                .isInstanceOf(IOException.class);
    }

    @Test
    void statusLineWithoutACodeIsAProtocolFailureNamingTheUri() {
        server.answer("HTTP/1.1 OK\r\nContent-Length: 0\r\n\r\n");

        assertThatThrownBy(() -> transport.send("GET", server.uri("/v2/"), Map.of(), null, null))
                .isInstanceOf(ProtocolException.class)
                .hasMessageContaining("no valid HTTP status line from http://127.0.0.1:");
    }

    @Test
    void postSendsItsBodyAndA401ComesBackAsAResponse() throws Exception {
        server.answer("HTTP/1.1 401 Unauthorized\r\nContent-Length: 2\r\n\r\nno");

        byte[] form = "grant_type=refresh_token&refresh_token=secret".getBytes(StandardCharsets.US_ASCII);
        try (HttpResponseStream response =
                transport.send("POST", server.uri("/token"), Map.of(), form, "application/x-www-form-urlencoded")) {
            assertThat(response.status()).isEqualTo(401);
        }
        String request = server.requests().get(0);
        assertThat(request)
                .startsWith("POST /token HTTP/1.1\r\n")
                .containsIgnoringCase("content-type: application/x-www-form-urlencoded\r\n")
                .containsIgnoringCase("content-length: " + form.length + "\r\n")
                .endsWith("\r\n\r\n" + new String(form, StandardCharsets.US_ASCII));
    }

    @Test
    void sendsItsUserAgentAndNoContentCodingRequest() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        try (HttpResponseStream ignored =
                transport.send("GET", server.uri("/v2/"), Map.of("Accept", "application/json"), null, null)) {
            String request = server.requests().get(0);
            assertThat(request)
                    .startsWith("GET /v2/ HTTP/1.1\r\n")
                    .containsIgnoringCase("user-agent: regx-test/1\r\n")
                    .containsIgnoringCase("accept: application/json\r\n")
                    .doesNotContainIgnoringCase("accept-encoding");
        }
    }

    @Test
    void headHasNoBodyToRead() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n");

        try (HttpResponseStream response =
                transport.send("HEAD", server.uri("/v2/a/blobs/sha256:00"), Map.of(), null, null)) {
            assertThat(response.header("Content-Length")).contains("1234");
            assertThat(response.body().read()).isEqualTo(-1);
        }
    }

    @Test
    void theTraceRedactsTheAuthorizationItSends() throws Exception {
        server.answer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");

        try (HttpResponseStream ignored =
                transport.send("GET", server.uri("/v2/"), Map.of("Authorization", "Bearer s3cret"), null, null)) {
            assertThat(server.requests().get(0)).contains("Bearer s3cret");
        }
        assertThat(String.join("\n", trace))
                .doesNotContain("s3cret")
                .contains("> GET http://127.0.0.1:")
                .contains("< 200 ");
    }

    /** Accepts connections on 127.0.0.1 and answers each request with the next scripted bytes, then closes. */
    private static final class ScriptedServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
        private final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final Thread thread = new Thread(this::serve, "scripted-http");

        ScriptedServer() throws IOException {
            thread.setDaemon(true);
            thread.start();
        }

        void answer(String raw) {
            answers.add(raw);
        }

        URI uri(String path) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
        }

        /** The requests received so far, head and body, as text. */
        List<String> requests() {
            return requests;
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (Socket s = socket.accept()) {
                    requests.add(readRequest(s.getInputStream()));
                    String answer = answers.poll(5, TimeUnit.SECONDS);
                    OutputStream out = s.getOutputStream();
                    out.write((answer == null ? "" : answer).getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException | InterruptedException e) {
                    return;
                }
            }
        }

        /** The request head, and its body when it announces a Content-Length. */
        private static String readRequest(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                head.write(b);
                String text = head.toString(StandardCharsets.ISO_8859_1);
                if (text.endsWith("\r\n\r\n")) {
                    int length = 0;
                    for (String line : text.split("\r\n")) {
                        if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                            length = Integer.parseInt(line.substring(15).trim());
                        }
                    }
                    return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
                }
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
