package dev.regx.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@RequiresRegistry
class LocalRegistryTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<String> get(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (headers.length > 0) {
            b.headers(headers);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void noAuthRegistryAnswersV2AndStopsOnClose() throws Exception {
        long t0 = System.nanoTime();
        URI v2;
        Path storage;
        try (LocalRegistry registry = LocalRegistry.builder().start()) {
            System.out.printf("registry start-up: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
            v2 = registry.baseUri().resolve("/v2/");
            storage = registry.storageRoot();
            HttpResponse<String> r = get(v2);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Docker-Distribution-Api-Version"))
                    .contains("registry/2.0");
            assertThat(registry.host()).matches("127\\.0\\.0\\.1:\\d+");
            assertThat(Files.readString(registry.configFile()))
                    .contains("addr: 127.0.0.1:" + registry.port())
                    .doesNotContain("auth:")
                    .doesNotContain("debug");
            assertThat(registry.isRunning()).isTrue();
        }
        assertThatThrownBy(() -> get(v2)).isInstanceOf(ConnectException.class);
        assertThat(storage).doesNotExist();
    }

    @Test
    void tokenAuthRegistryChallengesWithTheTokenServersRealmAndService() throws Exception {
        try (TokenServer tokens = TokenServer.builder().start();
                LocalRegistry registry =
                        LocalRegistry.builder().tokenAuth(tokens).start()) {
            HttpResponse<String> r = get(registry.baseUri().resolve("/v2/library/alpine/manifests/3.19"));
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .contains("Bearer realm=\"" + tokens.realm() + "\",service=\"" + TokenServer.DEFAULT_SERVICE
                            + "\",scope=\"repository:library/alpine:pull\"");
        }
    }

    @Test
    void tokenAuthRegistryAcceptsTokenFromTokenServerAndServesPushedManifest() throws Exception {
        try (TokenServer tokens = TokenServer.builder().start();
                LocalRegistry registry =
                        LocalRegistry.builder().tokenAuth(tokens).start()) {
            PushedImage pushed = new RegistryPusher(registry).push("demo/app", "v1", Fixtures.alpine());
            // Anonymous pull of a public repository: the client asks the realm with no credentials.
            HttpResponse<String> tokenAnswer = get(
                    URI.create(tokens.realm() + "?service=" + tokens.service() + "&scope=repository:demo/app:pull"));
            assertThat(tokenAnswer.statusCode()).isEqualTo(200);
            String token =
                    (String) JSON.readValue(tokenAnswer.body(), Map.class).get("token");
            HttpResponse<String> manifest = get(
                    registry.baseUri().resolve("/v2/demo/app/manifests/v1"),
                    "Authorization",
                    "Bearer " + token,
                    "Accept",
                    MediaTypes.DOCKER_MANIFEST);
            assertThat(manifest.statusCode()).isEqualTo(200);
            assertThat(manifest.headers().firstValue("Docker-Content-Digest")).contains(pushed.digest());
            assertThat(manifest.body().getBytes(StandardCharsets.UTF_8))
                    .isEqualTo(Fixtures.alpine().manifest());
        }
    }

    @Test
    void registryRejectsTokenSignedByAKeyItDoesNotTrust(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        try (TokenServer trusted = TokenServer.builder().start();
                TokenServer rogue = TokenServer.builder()
                        .signingKey(SigningKey.generate(dir, "rogue"))
                        .start();
                LocalRegistry registry =
                        LocalRegistry.builder().tokenAuth(trusted).start()) {
            new RegistryPusher(registry).push("demo/app", "v1", Fixtures.alpine());
            URI manifest = registry.baseUri().resolve("/v2/demo/app/manifests/v1");
            String good = trusted.issueToken(
                    null, List.of(new TokenServer.Access("repository", "demo/app", List.of("pull"))));
            String bad =
                    rogue.issueToken(null, List.of(new TokenServer.Access("repository", "demo/app", List.of("pull"))));
            assertThat(get(manifest, "Authorization", "Bearer " + good, "Accept", MediaTypes.DOCKER_MANIFEST)
                            .statusCode())
                    .isEqualTo(200);
            assertThat(get(manifest, "Authorization", "Bearer " + bad, "Accept", MediaTypes.DOCKER_MANIFEST)
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void registryRejectsTokenForAnotherRepositoryWithInsufficientScope() throws Exception {
        try (TokenServer tokens = TokenServer.builder().start();
                LocalRegistry registry =
                        LocalRegistry.builder().tokenAuth(tokens).start()) {
            new RegistryPusher(registry).push("demo/app", "v1", Fixtures.alpine());
            String other = tokens.issueToken(
                    null, List.of(new TokenServer.Access("repository", "demo/other", List.of("pull"))));
            HttpResponse<String> r = get(
                    registry.baseUri().resolve("/v2/demo/app/manifests/v1"),
                    "Authorization",
                    "Bearer " + other,
                    "Accept",
                    MediaTypes.DOCKER_MANIFEST);
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate"))
                    .hasValueSatisfying(v -> assertThat(v).contains("error=\"insufficient_scope\""));
        }
    }

    @Test
    void registryRejectsTokenWhoseAudienceIsAnotherService() throws Exception {
        try (TokenServer tokens = TokenServer.builder().start();
                TokenServer otherService =
                        TokenServer.builder().service("some-other-registry").start();
                LocalRegistry registry =
                        LocalRegistry.builder().tokenAuth(tokens).start()) {
            new RegistryPusher(registry).push("demo/app", "v1", Fixtures.alpine());
            String token = otherService.issueToken(
                    null, List.of(new TokenServer.Access("repository", "demo/app", List.of("pull"))));
            assertThat(get(
                                    registry.baseUri().resolve("/v2/demo/app/manifests/v1"),
                                    "Authorization",
                                    "Bearer " + token,
                                    "Accept",
                                    MediaTypes.DOCKER_MANIFEST)
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    /** Distribution 2.8 allows 60 s of clock skew past {@code exp}; an older token is refused. */
    @Test
    void registryRejectsTokenExpiredLongerThanItsLeeway() throws Exception {
        try (TokenServer tokens = TokenServer.builder().start();
                LocalRegistry registry =
                        LocalRegistry.builder().tokenAuth(tokens).start()) {
            new RegistryPusher(registry).push("demo/app", "v1", Fixtures.alpine());
            URI manifest = registry.baseUri().resolve("/v2/demo/app/manifests/v1");
            long now = Instant.now().getEpochSecond();
            assertThat(get(
                                    manifest,
                                    "Authorization",
                                    "Bearer " + tokenExpiredAt(tokens, now - 10),
                                    "Accept",
                                    MediaTypes.DOCKER_MANIFEST)
                            .statusCode())
                    .as("10 s past exp, within leeway")
                    .isEqualTo(200);
            assertThat(get(
                                    manifest,
                                    "Authorization",
                                    "Bearer " + tokenExpiredAt(tokens, now - 120),
                                    "Accept",
                                    MediaTypes.DOCKER_MANIFEST)
                            .statusCode())
                    .as("120 s past exp")
                    .isEqualTo(401);
        }
    }

    private static String tokenExpiredAt(TokenServer tokens, long exp) {
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", tokens.issuer());
        claims.put("sub", "");
        claims.put("aud", tokens.service());
        claims.put("exp", exp);
        claims.put("nbf", exp - 300);
        claims.put("iat", exp - 300);
        claims.put("jti", "expired-" + exp);
        claims.put("access", List.of(Map.of("type", "repository", "name", "demo/app", "actions", List.of("pull"))));
        return tokens.signingKey().signJwt(claims);
    }

    @Test
    void startFailureReportsTheRegistryLogAndLeavesNoDirectoryBehind() throws IOException {
        try (LocalRegistry first = LocalRegistry.builder().start()) {
            List<String> before = TempFiles.namesStartingWith("regx-registry");
            // The same fixed port twice: the second registry cannot bind and says so in its log.
            assertThatThrownBy(() -> LocalRegistry.builder().port(first.port()).start())
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("address already in use");
            assertThat(TempFiles.namesStartingWith("regx-registry")).isEqualTo(before);
        }
    }
}
