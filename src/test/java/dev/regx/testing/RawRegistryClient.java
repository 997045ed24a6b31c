package dev.regx.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * Plain {@link HttpClient} access to a registry's {@code /v2/} API for test code, doing the Docker token dance
 * itself: on a {@code Bearer} challenge it asks the realm for {@code repository:NAME:ACTIONS} (with Basic
 * credentials if given, else anonymously), caches the token per repository and retries once.
 *
 * <p>Independent of the product's client on purpose: fixtures are pushed and results checked with this,
 * so a bug in the product cannot hide by agreeing with itself. Redirects are NOT followed, so tests see 307s.
 */
public final class RawRegistryClient {
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final URI base;
    private final String username;
    private final String password;
    private final String actions;
    private final HttpClient http;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    /**
     * @param username null for anonymous
     * @param actions  what to ask the realm for, e.g. {@code "pull"} or {@code "pull,push"}
     */
    public RawRegistryClient(URI base, String username, String password, String actions) {
        this(base, username, password, actions, null);
    }

    /** As above, over HTTPS trusting {@code tls} (null: the JDK's default trust). */
    public RawRegistryClient(URI base, String username, String password, String actions, SSLContext tls) {
        HttpClient.Builder http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER);
        this.http = (tls == null ? http : http.sslContext(tls)).build();
        this.base = base;
        this.username = username;
        this.password = password;
        this.actions = actions;
    }

    public static RawRegistryClient anonymous(LocalRegistry registry) {
        return new RawRegistryClient(registry.baseUri(), null, null, "pull");
    }

    public static RawRegistryClient as(LocalRegistry registry, String username, String password) {
        return new RawRegistryClient(registry.baseUri(), username, password, "pull");
    }

    public URI base() {
        return base;
    }

    /** {@code GET /v2/NAME/manifests/REF} with {@code Accept: accept}. */
    public HttpResponse<byte[]> getManifest(String repository, String reference, String accept) {
        return send(
                repository,
                () -> HttpRequest.newBuilder(url(repository, "manifests/" + reference))
                        .header("Accept", accept),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** {@code GET /v2/NAME/blobs/DIGEST}, not following a redirect. */
    public HttpResponse<byte[]> getBlob(String repository, String digest) {
        return send(
                repository,
                () -> HttpRequest.newBuilder(url(repository, "blobs/" + digest)),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    public URI url(String repository, String rest) {
        return base.resolve("/v2/" + repository + "/" + rest);
    }

    /** Sends with the cached token for {@code repository}; on a Bearer challenge gets a fresh one, retries once. */
    public <T> HttpResponse<T> send(
            String repository, Supplier<HttpRequest.Builder> request, HttpResponse.BodyHandler<T> handler) {
        try {
            HttpResponse<T> r = http.send(withToken(request.get(), repository), handler);
            if (r.statusCode() != 401) {
                return r;
            }
            String challenge = r.headers().firstValue("WWW-Authenticate").orElse("");
            if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return r;
            }
            String token = fetchToken(challenge, repository);
            if (token == null) {
                return r;
            }
            tokens.put(repository, token);
            return http.send(withToken(request.get(), repository), handler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private HttpRequest withToken(HttpRequest.Builder b, String repository) {
        String token = tokens.get(repository);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.timeout(Duration.ofSeconds(60)).build();
    }

    /** The token for {@code repository}, or null when the realm refuses (the caller then sees the 401). */
    private String fetchToken(String challenge, String repository) throws IOException, InterruptedException {
        Map<String, String> params = new HashMap<>();
        Matcher m = PARAM.matcher(challenge);
        while (m.find()) {
            params.put(m.group(1), m.group(2));
        }
        String realm = params.get("realm");
        if (realm == null) {
            throw new IOException("Bearer challenge without realm: " + challenge);
        }
        String query = "service=" + URLEncoder.encode(params.getOrDefault("service", ""), StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode("repository:" + repository + ":" + actions, StandardCharsets.UTF_8);
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(realm + "?" + query)).timeout(Duration.ofSeconds(10));
        if (username != null) {
            b.header(
                    "Authorization",
                    "Basic "
                            + Base64.getEncoder()
                                    .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            return null;
        }
        Map<?, ?> body = TestImage.JSON.readValue(r.body(), Map.class);
        Object token = body.get("token") != null ? body.get("token") : body.get("access_token");
        return token == null ? null : token.toString();
    }
}
