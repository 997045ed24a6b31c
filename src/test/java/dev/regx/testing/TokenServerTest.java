package dev.regx.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token server alone (no registry): protocol, policy, and what it records. */
class TokenServerTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TokenServer tokens;

    @BeforeAll
    static void start() throws Exception {
        tokens = TokenServer.standard().start();
    }

    @AfterAll
    static void stop() {
        tokens.close();
    }

    @BeforeEach
    void reset() {
        tokens.clearRequests();
        tokens.responseFields(TokenServer.ResponseFields.BOTH);
        tokens.rejectEverything(false);
    }

    private static HttpResponse<String> get(String scope, String user, String password) throws Exception {
        String query = "service=" + TokenServer.DEFAULT_SERVICE + (scope == null ? "" : "&scope=" + enc(scope));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(tokens.realm() + "?" + query));
        if (user != null) {
            b.header("Authorization", basic(user, password));
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(String form) throws Exception {
        return HTTP.send(
                HttpRequest.newBuilder(tokens.realm())
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode claims(String jwt) throws Exception {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    @Test
    void anonymousPullOfPublicRepositoryGetsAnRs256TokenForThatScope() throws Exception {
        HttpResponse<String> r = get("repository:library/alpine:pull", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("token").asText())
                .isEqualTo(body.get("access_token").asText());
        assertThat(body.get("expires_in").asInt()).isEqualTo(300);
        assertThat(Instant.parse(body.get("issued_at").asText()))
                .isBefore(Instant.now().plusSeconds(1));

        String jwt = body.get("token").asText();
        String[] parts = jwt.split("\\.");
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertThat(header.get("alg").asText()).isEqualTo("RS256");
        assertThat(header.get("typ").asText()).isEqualTo("JWT");
        byte[] der = Base64.getDecoder().decode(header.get("x5c").get(0).asText());
        X509Certificate cert = (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        assertThat(cert).isEqualTo(tokens.signingKey().certificate());
        Signature verify = Signature.getInstance("SHA256withRSA");
        verify.initVerify(cert.getPublicKey());
        verify.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(verify.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        JsonNode claims = claims(jwt);
        assertThat(claims.get("iss").asText()).isEqualTo(TokenServer.DEFAULT_ISSUER);
        assertThat(claims.get("aud").asText()).isEqualTo(TokenServer.DEFAULT_SERVICE);
        assertThat(claims.get("sub").asText()).isEmpty();
        assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(300);
        assertThat(claims.get("access").toString())
                .isEqualTo("[{\"type\":\"repository\",\"name\":\"library/alpine\",\"actions\":[\"pull\"]}]");
    }

    @Test
    void anonymousPullOfPrivateRepositoryIsRefused() throws Exception {
        HttpResponse<String> r = get("repository:private/secret:pull", null, null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("token\"");
    }

    @Test
    void aliceMayPullPrivateRepositoryWithBasicCredentialsButNotPush() throws Exception {
        HttpResponse<String> r = get("repository:private/secret:pull,push", Fixtures.ALICE, Fixtures.ALICE_PASSWORD);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode claims = claims(JSON.readTree(r.body()).get("token").asText());
        assertThat(claims.get("sub").asText()).isEqualTo("alice");
        assertThat(claims.get("access").get(0).get("actions").toString()).isEqualTo("[\"pull\"]");
    }

    @Test
    void wrongPasswordAndUnknownUserAre401() throws Exception {
        assertThat(get("repository:library/alpine:pull", Fixtures.ALICE, "wrong")
                        .statusCode())
                .isEqualTo(401);
        assertThat(get("repository:library/alpine:pull", "mallory", "x").statusCode())
                .isEqualTo(401);
    }

    @Test
    void adminGetsPullAndPushOnAnyRepositoryAndSeveralScopesAtOnce() throws Exception {
        String query = "service=" + TokenServer.DEFAULT_SERVICE + "&scope=" + enc("repository:a/b:pull,push")
                + "&scope=" + enc("repository:private/secret:pull");
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(tokens.realm() + "?" + query))
                        .header("Authorization", basic(TokenServer.ADMIN_USER, TokenServer.ADMIN_PASSWORD))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode access = claims(JSON.readTree(r.body()).get("token").asText()).get("access");
        assertThat(access.toString())
                .isEqualTo("[{\"type\":\"repository\",\"name\":\"a/b\",\"actions\":[\"pull\",\"push\"]},"
                        + "{\"type\":\"repository\",\"name\":\"private/secret\",\"actions\":[\"pull\"]}]");
        assertThat(tokens.lastRequest().scopes())
                .containsExactly("repository:a/b:pull,push", "repository:private/secret:pull");
    }

    @Test
    void requestWithoutScopeGetsATokenGrantingNothing() throws Exception {
        HttpResponse<String> r = get(null, null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(claims(JSON.readTree(r.body()).get("token").asText())
                        .get("access")
                        .size())
                .isZero();
    }

    @Test
    void responseFieldsCanBeTokenOnlyOrAccessTokenOnly() throws Exception {
        tokens.responseFields(TokenServer.ResponseFields.TOKEN_ONLY);
        JsonNode tokenOnly =
                JSON.readTree(get("repository:x/y:pull", null, null).body());
        assertThat(tokenOnly.has("token")).isTrue();
        assertThat(tokenOnly.has("access_token")).isFalse();
        tokens.responseFields(TokenServer.ResponseFields.ACCESS_TOKEN_ONLY);
        JsonNode accessOnly =
                JSON.readTree(get("repository:x/y:pull", null, null).body());
        assertThat(accessOnly.has("token")).isFalse();
        assertThat(accessOnly.has("access_token")).isTrue();
    }

    @Test
    void refreshTokenGrantAnswersAccessTokenOnly() throws Exception {
        HttpResponse<String> r = post("grant_type=refresh_token&service=" + TokenServer.DEFAULT_SERVICE
                + "&scope=" + enc("repository:private/secret:pull") + "&client_id=regx&refresh_token="
                + Fixtures.ALICE_REFRESH_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.has("token")).isFalse();
        assertThat(claims(body.get("access_token").asText()).get("sub").asText())
                .isEqualTo("alice");
        TokenServer.Request seen = tokens.lastRequest();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.grantType()).isEqualTo("refresh_token");
        assertThat(seen.parameter("refresh_token")).isEqualTo("<redacted>");
        assertThat(seen.hadAuthorization()).isFalse();
    }

    @Test
    void unknownRefreshTokenIs401AndMissingClientIdIs400() throws Exception {
        assertThat(post("grant_type=refresh_token&service=" + TokenServer.DEFAULT_SERVICE
                                + "&client_id=regx&refresh_token=nope")
                        .statusCode())
                .isEqualTo(401);
        assertThat(post("grant_type=refresh_token&service=" + TokenServer.DEFAULT_SERVICE + "&refresh_token="
                                + Fixtures.ALICE_REFRESH_TOKEN)
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void passwordGrantWithOfflineAccessReturnsAUsableRefreshToken() throws Exception {
        HttpResponse<String> r = post("grant_type=password&service=" + TokenServer.DEFAULT_SERVICE
                + "&client_id=regx&access_type=offline&username=alice&password=alice-pass&scope="
                + enc("repository:private/secret:pull"));
        assertThat(r.statusCode()).isEqualTo(200);
        String refresh = JSON.readTree(r.body()).get("refresh_token").asText();
        assertThat(tokens.lastRequest().parameter("password")).isEqualTo("<redacted>");
        assertThat(post("grant_type=refresh_token&service=" + TokenServer.DEFAULT_SERVICE + "&client_id=regx&scope="
                                + enc("repository:private/secret:pull") + "&refresh_token=" + enc(refresh))
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void recordsWhetherAndWhichCredentialsReachedTheRealm() throws Exception {
        get("repository:library/alpine:pull", null, null);
        get("repository:library/alpine:pull", Fixtures.ALICE, Fixtures.ALICE_PASSWORD);
        assertThat(tokens.requests()).hasSize(2);
        TokenServer.Request anonymous = tokens.requests().get(0);
        TokenServer.Request withBasic = tokens.requests().get(1);
        assertThat(anonymous.hadAuthorization()).isFalse();
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(withBasic.hadBasicAuth()).isTrue();
        assertThat(withBasic.basicUsername()).isEqualTo("alice");
        assertThat(withBasic.toString()).doesNotContain(Fixtures.ALICE_PASSWORD);
        assertThat(withBasic.parameter("service")).isEqualTo(TokenServer.DEFAULT_SERVICE);
    }

    @Test
    void wrongServiceIs400() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(tokens.realm() + "?service=elsewhere&scope=repository:a/b:pull"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
    }

    @Test
    void rejectEverythingAnswers401EvenToTheAdmin() throws Exception {
        tokens.rejectEverything(true);
        assertThat(get("repository:a/b:pull", TokenServer.ADMIN_USER, TokenServer.ADMIN_PASSWORD)
                        .statusCode())
                .isEqualTo(401);
        tokens.rejectEverything(false);
        assertThat(get("repository:a/b:pull", TokenServer.ADMIN_USER, TokenServer.ADMIN_PASSWORD)
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void shortLifetimeIsReportedInExpiresInAndExp() throws Exception {
        try (TokenServer shortLived =
                TokenServer.builder().tokenLifetime(Duration.ofSeconds(2)).start()) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(shortLived.realm() + "?service=" + shortLived.service()
                                    + "&scope=repository:a/b:pull"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode body = JSON.readTree(r.body());
            assertThat(body.get("expires_in").asInt()).isEqualTo(2);
            JsonNode claims = claims(body.get("token").asText());
            assertThat(claims.get("exp").asLong() - claims.get("iat").asLong()).isEqualTo(2);
        }
    }

    @Test
    void grantEmptyScopesIssuesATokenWithoutTheDeniedAccessLikeDockerHub() throws Exception {
        try (TokenServer hubLike = TokenServer.standard().grantEmptyScopes().start()) {
            HttpResponse<String> r = HTTP.send(
                    HttpRequest.newBuilder(URI.create(hubLike.realm() + "?service=" + hubLike.service()
                                    + "&scope=repository:private/secret:pull"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(claims(JSON.readTree(r.body()).get("token").asText())
                            .get("access")
                            .size())
                    .isZero();
        }
    }
}
