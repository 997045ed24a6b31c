package dev.regx.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlobRedirectServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path root;

    private Path blob(String content) throws Exception {
        Path file = root.resolve("docker/registry/v2/blobs/sha256/ab/abcd/data");
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private static HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesStorageFilesWithoutAuthorization() throws Exception {
        blob("hello blob");
        try (BlobRedirectServer server = BlobRedirectServer.start(root)) {
            HttpResponse<String> r = get(server.baseUri().resolve("docker/registry/v2/blobs/sha256/ab/abcd/data"));
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello blob");
            assertThat(server.authorizationRejections()).isZero();
        }
    }

    @Test
    void rejectsAnyAuthorizationHeaderLikeS3AndCountsIt() throws Exception {
        blob("hello blob");
        try (BlobRedirectServer server = BlobRedirectServer.start(root)) {
            HttpResponse<String> r = get(
                    server.baseUri().resolve("docker/registry/v2/blobs/sha256/ab/abcd/data"),
                    "Authorization",
                    "Bearer leaked-registry-token");
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("Only one auth mechanism allowed");
            assertThat(server.authorizationRejections()).isEqualTo(1);
            assertThat(server.requests()).singleElement().satisfies(q -> {
                assertThat(q.hadAuthorization()).isTrue();
                assertThat(q.status()).isEqualTo(400);
            });
        }
    }

    @Test
    void rangeFromOffsetGives206WithContentRange() throws Exception {
        blob("0123456789");
        try (BlobRedirectServer server = BlobRedirectServer.start(root)) {
            URI uri = server.baseUri().resolve("docker/registry/v2/blobs/sha256/ab/abcd/data");
            HttpResponse<String> r = get(uri, "Range", "bytes=4-");
            assertThat(r.statusCode()).isEqualTo(206);
            assertThat(r.body()).isEqualTo("456789");
            assertThat(r.headers().firstValue("Content-Range")).contains("bytes 4-9/10");
            HttpResponse<String> closed = get(uri, "Range", "bytes=2-3");
            assertThat(closed.body()).isEqualTo("23");
            assertThat(get(uri, "Range", "bytes=10-").statusCode()).isEqualTo(416);
        }
    }

    @Test
    void withRangeSupportOffItAnswers200WithTheWholeBody() throws Exception {
        blob("0123456789");
        try (BlobRedirectServer server = BlobRedirectServer.start(root)) {
            server.rangeSupport(false);
            HttpResponse<String> r =
                    get(server.baseUri().resolve("docker/registry/v2/blobs/sha256/ab/abcd/data"), "Range", "bytes=4-");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("0123456789");
            assertThat(r.headers().firstValue("Content-Range")).isEmpty();
        }
    }

    @Test
    void headGivesTheLengthAndNoBody() throws Exception {
        blob("0123456789");
        try (BlobRedirectServer server = BlobRedirectServer.start(root)) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(server.baseUri().resolve("docker/registry/v2/blobs/sha256/ab/abcd/data"))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValueAsLong("Content-Length")).hasValue(10);
            assertThat(r.body()).isEmpty();
        }
    }

    @Test
    void doesNotServeOutsideTheStorageRoot() throws Exception {
        Files.writeString(root.getParent().resolve("outside-" + root.getFileName()), "secret");
        try (BlobRedirectServer server = BlobRedirectServer.start(root)) {
            HttpResponse<String> r = get(URI.create(server.baseUri() + "..%2Foutside-" + root.getFileName()));
            assertThat(r.statusCode()).isEqualTo(404);
            assertThat(get(server.baseUri().resolve("missing")).statusCode()).isEqualTo(404);
        } finally {
            Files.deleteIfExists(root.getParent().resolve("outside-" + root.getFileName()));
        }
    }

    @Test
    @RequiresRegistry
    void registryRedirectsBlobGetAndHeadToItAndItServesTheBlob() throws Exception {
        try (TokenServer tokens = TokenServer.standard().start();
                LocalRegistry registry =
                        LocalRegistry.builder().tokenAuth(tokens).blobRedirect().start()) {
            BlobRedirectServer cdn = registry.blobRedirectServer().orElseThrow();
            PushedImage alpine =
                    new RegistryPusher(registry).push(Fixtures.ALPINE_REPOSITORY, "3.19", Fixtures.alpine());
            Layer layer = alpine.image().layer(0).layer();

            RawRegistryClient client = RawRegistryClient.anonymous(registry);
            HttpResponse<byte[]> redirect = client.getBlob(Fixtures.ALPINE_REPOSITORY, layer.digest());
            assertThat(redirect.statusCode()).isEqualTo(307);
            URI location = redirect.request()
                    .uri()
                    .resolve(redirect.headers().firstValue("Location").orElseThrow());
            assertThat(location.getPort()).isEqualTo(cdn.port());
            assertThat(location.getPath())
                    .isEqualTo("/docker/registry/v2/blobs/sha256/"
                            + Digests.hex(layer.digest()).substring(0, 2) + "/" + Digests.hex(layer.digest())
                            + "/data");

            HttpResponse<byte[]> head = client.send(
                    Fixtures.ALPINE_REPOSITORY,
                    () -> HttpRequest.newBuilder(client.url(Fixtures.ALPINE_REPOSITORY, "blobs/" + layer.digest()))
                            .method("HEAD", HttpRequest.BodyPublishers.noBody()),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(head.statusCode()).as("HEAD is redirected too").isEqualTo(307);

            HttpResponse<byte[]> fromCdn =
                    HTTP.send(HttpRequest.newBuilder(location).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(fromCdn.statusCode()).isEqualTo(200);
            assertThat(Digests.sha256(fromCdn.body())).isEqualTo(layer.digest());

            // Forwarding the registry's token to the CDN is what breaks (and leaks) in the wild.
            HttpResponse<String> leaked = HTTP.send(
                    HttpRequest.newBuilder(location)
                            .header("Authorization", "Bearer " + tokens.adminToken(Fixtures.ALPINE_REPOSITORY))
                            .build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(leaked.statusCode()).isEqualTo(400);
            assertThat(cdn.authorizationRejections()).isEqualTo(1);
        }
    }
}
