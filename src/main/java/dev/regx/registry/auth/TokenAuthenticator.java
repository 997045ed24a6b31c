package dev.regx.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regx.registry.JsonDocument;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.transport.BodyReading;
import dev.regx.registry.transport.HttpResponseStream;
import dev.regx.registry.transport.OutgoingRequest;
import dev.regx.registry.transport.Redaction;
import dev.regx.registry.transport.RegistryEndpoint;
import dev.regx.registry.transport.RegistryErrorBody;
import dev.regx.registry.transport.RetriedRequests;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Gets bearer tokens from the token server a registry's challenge names (the Docker token protocol):
 * {@code GET realm?service=S&scope=repository:NAME:pull}, anonymously or with Basic credentials, or the
 * OAuth2 {@code POST} with {@code grant_type=refresh_token} for identity tokens. Tokens are cached for the
 * process per realm, service, scope and user, and renewed when they expire.
 */
public final class TokenAuthenticator {
    /**
     * The longest a token is trusted, whatever its answer says: a lifetime near {@code Long.MAX_VALUE} seconds
     * would overflow the expiry instant, and a run of regx never needs a token for longer.
     */
    private static final Duration MAX_LIFETIME = Duration.ofDays(1);

    /** What the spec says to assume when a token answer carries no {@code expires_in}. */
    static final Duration DEFAULT_LIFETIME = Duration.ofSeconds(60);

    private static final int MAX_TOKEN_RESPONSE = 1 << 20;

    private final RetriedRequests requests;
    private final Clock clock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** @param requests the retry layer: a token request is retried like any other (a reset, a 503, a 429) */
    public TokenAuthenticator(RetriedRequests requests, Clock clock) {
        this.requests = requests;
        this.clock = clock;
    }

    private record Cached(BearerToken token, Duration lifetime) {}

    /**
     * A token for {@code scope} (null: none, for a host that is not a registry) from the realm in {@code challenge}.
     *
     * @param forceRenew true after the registry rejected the cached token
     */
    public BearerToken token(
            AuthChallenge challenge, String scope, Optional<Credential> credential, boolean forceRenew) {
        String realm = challenge.parameter("realm").orElse(null);
        if (realm == null) {
            throw new RegistryException(
                    Kind.MALFORMED_RESPONSE, "the registry's Bearer challenge names no realm to get a token from");
        }
        URI realmUri = parseRealm(realm);
        Optional<String> service = challenge.parameter("service");
        // Never hand a password to a token server over plain HTTP unless it is on this machine.
        Optional<Credential> sendable =
                "https".equalsIgnoreCase(realmUri.getScheme()) || RegistryEndpoint.isLoopback(realmUri.getHost())
                        ? credential
                        : Optional.empty();
        String key = realm + '\n' + service.orElse("") + '\n' + scope + '\n' + cacheKey(sendable);
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (!forceRenew && cached != null && !cached.token.isExpiredAt(now, cached.lifetime)) {
            return cached.token;
        }
        Cached fresh = fetch(realmUri, service, scope, sendable, now);
        cache.put(key, fresh);
        return fresh.token;
    }

    /** Who a cached token was issued to: nobody, a user, or an identity token (by hash, never the token). */
    private static String cacheKey(Optional<Credential> credential) {
        if (credential.isEmpty()) {
            return "";
        }
        Credential c = credential.get();
        return c.isIdentityToken() ? "<token>" + c.secret().hashCode() : c.username();
    }

    private Cached fetch(
            URI realm, Optional<String> service, String scope, Optional<Credential> credential, Instant now) {
        try (HttpResponseStream response =
                credential.isPresent() && credential.get().isIdentityToken()
                        ? refreshTokenGrant(realm, service, scope, credential.get())
                        : tokenGet(realm, service, scope, credential)) {
            if (response.status() == 401 || response.status() == 403) {
                String who = credential
                        .map(c ->
                                c.isIdentityToken() ? "the identity token" : "the credentials for user " + c.username())
                        .orElse("anonymous access");
                throw new RegistryException(
                        Kind.UNAUTHORIZED,
                        "token server " + Redaction.uri(realm) + " refused " + who
                                + " for " + scope + " (HTTP " + response.status() + RegistryErrorBody.summary(response)
                                + ")"
                                + (credential.isPresent()
                                        ? "; check `docker login` or -u USER --password-stdin"
                                        : "; log in with `docker login` or -u USER --password-stdin"));
            }
            if (response.status() == 429) {
                throw new RegistryException(
                        Kind.RATE_LIMITED,
                        "token server " + Redaction.uri(realm) + " is rate limiting us (HTTP 429"
                                + response.header("Retry-After")
                                        .map(r -> ", retry after " + r + " s")
                                        .orElse("") + ")");
            }
            if (!response.isSuccess()) {
                throw new RegistryException(
                        response.status() >= 500 ? Kind.SERVER_ERROR : Kind.MALFORMED_RESPONSE,
                        "token server " + Redaction.uri(realm) + " answered HTTP " + response.status()
                                + RegistryErrorBody.summary(response));
            }
            JsonNode answer =
                    JsonDocument.parse(response.body().readAllBytes(), "token answer from " + Redaction.uri(realm));
            // Docker's token servers answer "token", OAuth2 ones (identity-token grants) "access_token".
            String token =
                    text(answer, "token").orElse(text(answer, "access_token").orElse(null));
            if (token == null) {
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE,
                        "token answer from " + Redaction.uri(realm) + " has neither \"token\" nor \"access_token\"");
            }
            if (!BearerToken.isWellFormed(token)) {
                // Never echoed: a token is a credential even when it is broken.
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE,
                        "token answer from " + Redaction.uri(realm)
                                + " holds a token with characters no token may have (RFC 6750);"
                                + " the token server is broken, tell its operator");
            }
            Duration lifetime = answer.path("expires_in").canConvertToLong()
                            && answer.path("expires_in").asLong() > 0
                    ? Duration.ofSeconds(Math.min(answer.path("expires_in").asLong(), MAX_LIFETIME.toSeconds()))
                    : DEFAULT_LIFETIME;
            // Lifetime counts from when we asked, not from the server's issued_at: our clock decides expiry, and
            // the request's start is never later than the server's issue time (parsing dates also costs start-up).
            return new Cached(new BearerToken(token, now.plus(lifetime)), lifetime);
        } catch (IOException e) {
            throw new RegistryException(
                    Kind.NETWORK, "cannot reach token server " + Redaction.uri(realm) + ": " + e.getMessage(), e);
        }
    }

    private HttpResponseStream tokenGet(
            URI realm, Optional<String> service, String scope, Optional<Credential> credential) throws IOException {
        Map<String, String> query = new LinkedHashMap<>();
        if (service.isPresent()) {
            query.put("service", service.get());
        }
        if (scope != null) {
            query.put("scope", scope);
        }
        String authorization = null;
        if (credential.isPresent()) {
            query.put("account", credential.get().username());
            authorization = BasicAuthorization.header(credential.get());
        }
        // The password goes to the realm's origin only, not to wherever the token server redirects.
        return requests.send(
                OutgoingRequest.of("GET", withQuery(realm, query), Map.of()),
                authorization,
                realm,
                BodyReading.whole(MAX_TOKEN_RESPONSE));
    }

    private HttpResponseStream refreshTokenGrant(
            URI realm, Optional<String> service, String scope, Credential credential) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        if (service.isPresent()) {
            form.put("service", service.get());
        }
        if (scope != null) {
            form.put("scope", scope);
        }
        form.put("client_id", "regx");
        form.put("refresh_token", credential.secret());
        byte[] body = encode(form).getBytes(StandardCharsets.UTF_8);
        return requests.send(
                new OutgoingRequest("POST", realm, Map.of(), body, "application/x-www-form-urlencoded"),
                null,
                realm,
                BodyReading.whole(MAX_TOKEN_RESPONSE));
    }

    private static URI parseRealm(String realm) {
        try {
            URI uri = new URI(realm);
            if (uri.getHost() == null
                    || !("https".equalsIgnoreCase(uri.getScheme()) || "http".equalsIgnoreCase(uri.getScheme()))) {
                throw new URISyntaxException(realm, "not an http(s) URL");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new RegistryException(
                    Kind.MALFORMED_RESPONSE, "the registry's token realm \"" + realm + "\" is not an http(s) URL");
        }
    }

    static URI withQuery(URI base, Map<String, String> query) {
        String existing = base.getRawQuery();
        String added = encode(query);
        String joined = existing == null || existing.isEmpty() ? added : existing + "&" + added;
        String s = base.toString();
        int q = s.indexOf('?');
        return URI.create((q >= 0 ? s.substring(0, q) : s) + "?" + joined);
    }

    private static String encode(Map<String, String> params) {
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> p : params.entrySet()) {
            if (s.length() > 0) {
                s.append('&');
            }
            s.append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
        }
        return s.toString();
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() && !v.asText().isEmpty() ? Optional.of(v.asText()) : Optional.empty();
    }
}
