package dev.regx.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Docker token server (the "realm" of a {@code Bearer} challenge) for a {@link LocalRegistry} with token
 * auth, on 127.0.0.1. It speaks both halves of the protocol clients meet in the wild:
 * <ul>
 *   <li>{@code GET /token?service=…&scope=…} with optional Basic credentials, answering
 *       {@code {"token", "access_token", "expires_in", "issued_at"}} (which of the two token fields appear is
 *       configurable: registries differ and clients must take either);</li>
 *   <li>{@code POST /token} with an OAuth2 form: {@code grant_type=refresh_token} (identity tokens, as
 *       credential helpers hand out) or {@code grant_type=password}, answering {@code access_token}.</li>
 * </ul>
 * Tokens are RS256 JWTs with the signing certificate in {@code x5c}, which is what distribution 2.8 verifies
 * against {@code auth.token.rootcertbundle}.
 *
 * <p>Policy: the admin ({@link #ADMIN_USER}) gets every action on everything, so test set-up can push; other
 * users and anonymous callers get {@code pull} on public repositories; private repositories only for the
 * users named for them. Bad credentials are a 401. A request for a scope that earns no action at all is
 * refused (401 anonymous, 403 authenticated) unless {@link Builder#grantEmptyScopes()} asks for Docker Hub's
 * behaviour of issuing a token that grants nothing (the registry then says 401).
 *
 * <p>Every request is recorded ({@link #requests()}) with secrets redacted, so tests can assert what a client
 * sent where: e.g. "Basic credentials reached the realm", or "no credentials were sent".
 */
public final class TokenServer implements AutoCloseable {
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin-pass";
    public static final String DEFAULT_SERVICE = "regx-test-registry";
    public static final String DEFAULT_ISSUER = "regx-test-token-server";
    public static final String REALM_PATH = "/token";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which token fields a GET answer carries. */
    public enum ResponseFields {
        TOKEN_ONLY,
        ACCESS_TOKEN_ONLY,
        BOTH
    }

    /** One request as the server saw it. Passwords and refresh tokens are replaced by {@code <redacted>}. */
    public record Request(
            String method,
            String path,
            Map<String, List<String>> parameters,
            String authScheme,
            String basicUsername,
            int status) {
        public boolean hadAuthorization() {
            return authScheme != null;
        }

        public boolean hadBasicAuth() {
            return "Basic".equalsIgnoreCase(authScheme);
        }

        public List<String> scopes() {
            return parameters.getOrDefault("scope", List.of());
        }

        public String parameter(String name) {
            List<String> values = parameters.get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        public String grantType() {
            return parameter("grant_type");
        }
    }

    /** One entry of the JWT's {@code access} claim. */
    public record Access(String type, String name, List<String> actions) {
        Map<String, Object> toClaim() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", type);
            m.put("name", name);
            m.put("actions", actions);
            return m;
        }
    }

    private final HttpServer server;
    private final SigningKey key;
    private final String service;
    private final String issuer;
    private final Map<String, String> passwords;
    private final Map<String, String> refreshTokens;
    private final Map<String, Set<String>> privateRepositories;
    private final boolean anonymousPull;
    private final boolean grantEmptyScopes;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Duration tokenLifetime;
    private volatile ResponseFields responseFields;
    private volatile boolean rejectEverything;

    private TokenServer(Builder b) throws IOException {
        this.key = b.key != null ? b.key : SigningKey.shared();
        this.service = b.service;
        this.issuer = b.issuer;
        this.passwords = new ConcurrentHashMap<>(b.passwords);
        this.refreshTokens = new ConcurrentHashMap<>(b.refreshTokens);
        this.privateRepositories = Map.copyOf(b.privateRepositories);
        this.anonymousPull = b.anonymousPull;
        this.grantEmptyScopes = b.grantEmptyScopes;
        this.tokenLifetime = b.tokenLifetime;
        this.responseFields = b.responseFields;
        this.server = HttpServers.start("token-server", b.port);
        server.createContext("/", this::handle);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The policy the {@link Fixtures} expect: admin, {@code alice}/{@code alice-pass} with a refresh token,
     * {@code private/secret} pullable only by alice, every other repository pullable anonymously.
     */
    public static Builder standard() {
        return builder()
                .user(Fixtures.ALICE, Fixtures.ALICE_PASSWORD)
                .refreshToken(Fixtures.ALICE_REFRESH_TOKEN, Fixtures.ALICE)
                .privateRepository(Fixtures.SECRET_REPOSITORY, Fixtures.ALICE);
    }

    public static final class Builder {
        private SigningKey key;
        private String service = DEFAULT_SERVICE;
        private String issuer = DEFAULT_ISSUER;
        private final Map<String, String> passwords = new HashMap<>(Map.of(ADMIN_USER, ADMIN_PASSWORD));
        private final Map<String, String> refreshTokens = new HashMap<>();
        private final Map<String, Set<String>> privateRepositories = new HashMap<>();
        private boolean anonymousPull = true;
        private boolean grantEmptyScopes;
        private Duration tokenLifetime = Duration.ofMinutes(5);
        private ResponseFields responseFields = ResponseFields.BOTH;
        private int port;

        public Builder signingKey(SigningKey key) {
            this.key = key;
            return this;
        }

        public Builder service(String service) {
            this.service = service;
            return this;
        }

        public Builder issuer(String issuer) {
            this.issuer = issuer;
            return this;
        }

        public Builder user(String username, String password) {
            passwords.put(username, password);
            return this;
        }

        public Builder refreshToken(String token, String username) {
            refreshTokens.put(token, username);
            return this;
        }

        /** Only {@code users} may pull {@code repository}; the admin always may. */
        public Builder privateRepository(String repository, String... users) {
            privateRepositories.put(repository, Set.of(users));
            return this;
        }

        /** Whether callers without credentials may pull public repositories (default true). */
        public Builder anonymousPull(boolean allowed) {
            this.anonymousPull = allowed;
            return this;
        }

        /** Issue tokens with an empty grant instead of refusing (what Docker Hub does). */
        public Builder grantEmptyScopes() {
            this.grantEmptyScopes = true;
            return this;
        }

        /** Lifetime of issued tokens, reported as {@code expires_in} (whole seconds, at least 1). */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = lifetime;
            return this;
        }

        public Builder responseFields(ResponseFields fields) {
            this.responseFields = fields;
            return this;
        }

        /** 0 (the default) picks a free port. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public TokenServer start() throws IOException {
            return new TokenServer(this);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The realm URL the registry advertises in its {@code WWW-Authenticate} challenge. */
    public URI realm() {
        return URI.create("http://127.0.0.1:" + port() + REALM_PATH);
    }

    public String service() {
        return service;
    }

    public String issuer() {
        return issuer;
    }

    /** The PEM certificate the registry must trust for these tokens. */
    public SigningKey signingKey() {
        return key;
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Request lastRequest() {
        List<Request> all = requests();
        if (all.isEmpty()) {
            throw new IllegalStateException("the token server has received no request");
        }
        return all.get(all.size() - 1);
    }

    public void clearRequests() {
        requests.clear();
    }

    /** Answer 401 to every request from now on (or stop doing so). Only on a server of your own. */
    public void rejectEverything(boolean reject) {
        this.rejectEverything = reject;
    }

    public void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    public void responseFields(ResponseFields fields) {
        this.responseFields = fields;
    }

    /** Adds or replaces a refresh token at run time (e.g. one a test just "issued" to a user). */
    public void addRefreshToken(String token, String username) {
        refreshTokens.put(token, username);
    }

    /** A token as this server would issue it, for tests that talk to the registry directly. */
    public String issueToken(String subject, List<Access> access) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", issuer);
        claims.put("sub", subject == null ? "" : subject);
        claims.put("aud", service);
        claims.put("exp", now.plusSeconds(lifetimeSeconds()).getEpochSecond());
        claims.put("nbf", now.getEpochSecond());
        claims.put("iat", now.getEpochSecond());
        claims.put("jti", UUID.randomUUID().toString());
        List<Map<String, Object>> accessClaim = new ArrayList<>();
        for (Access a : access) {
            accessClaim.add(a.toClaim());
        }
        claims.put("access", accessClaim);
        return key.signJwt(claims);
    }

    /** A token granting the admin every action on {@code repository}: what pushing needs. */
    public String adminToken(String repository) {
        return issueToken(ADMIN_USER, List.of(new Access("repository", repository, List.of("pull", "push", "delete"))));
    }

    private long lifetimeSeconds() {
        return Math.max(1, tokenLifetime.toSeconds());
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            Map<String, List<String>> params = new LinkedHashMap<>(
                    HttpServers.parseForm(exchange.getRequestURI().getRawQuery()));
            if ("POST".equals(method)) {
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                HttpServers.parseForm(body)
                        .forEach((k, v) -> params.computeIfAbsent(k, x -> new ArrayList<>())
                                .addAll(v));
            }
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            String scheme = null;
            String basicUser = null;
            String basicPassword = null;
            if (authorization != null) {
                int sp = authorization.indexOf(' ');
                scheme = sp < 0 ? authorization : authorization.substring(0, sp);
                if ("Basic".equalsIgnoreCase(scheme) && sp > 0) {
                    try {
                        String decoded = new String(
                                Base64.getDecoder()
                                        .decode(authorization.substring(sp + 1).trim()),
                                StandardCharsets.UTF_8);
                        int colon = decoded.indexOf(':');
                        basicUser = colon < 0 ? decoded : decoded.substring(0, colon);
                        basicPassword = colon < 0 ? "" : decoded.substring(colon + 1);
                    } catch (IllegalArgumentException e) {
                        basicUser = null;
                    }
                }
            }
            Answer answer = answer(exchange, method, params, scheme, basicUser, basicPassword);
            requests.add(new Request(
                    method, exchange.getRequestURI().getPath(), redact(params), scheme, basicUser, answer.status));
            if (answer.status == 401) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"regx test token server\"");
            }
            HttpServers.send(exchange, answer.status, "application/json", JSON.writeValueAsBytes(answer.body));
        }
    }

    private record Answer(int status, Map<String, Object> body) {}

    private static Answer error(int status, String code, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("error_description", description);
        body.put("details", description);
        return new Answer(status, body);
    }

    private Answer answer(
            HttpExchange exchange,
            String method,
            Map<String, List<String>> params,
            String scheme,
            String basicUser,
            String basicPassword) {
        if (!REALM_PATH.equals(exchange.getRequestURI().getPath())) {
            return error(404, "not_found", "the realm is " + REALM_PATH);
        }
        if (rejectEverything) {
            return error(401, "unauthorized", "this token server has been told to reject everything");
        }
        String requestedService = first(params, "service");
        if (requestedService != null && !requestedService.equals(service)) {
            return error(400, "invalid_request", "unknown service " + requestedService);
        }
        List<String> scopes = new ArrayList<>();
        for (String s : params.getOrDefault("scope", List.of())) {
            for (String part : s.split(" ")) {
                if (!part.isBlank()) {
                    scopes.add(part);
                }
            }
        }
        String subject;
        boolean oauth = "POST".equals(method);
        if (oauth) {
            if (first(params, "client_id") == null) {
                return error(400, "invalid_request", "client_id is required");
            }
            String grant = first(params, "grant_type");
            if ("refresh_token".equals(grant)) {
                subject = refreshTokens.get(String.valueOf(first(params, "refresh_token")));
                if (subject == null) {
                    return error(401, "invalid_grant", "unknown refresh token");
                }
            } else if ("password".equals(grant)) {
                String user = first(params, "username");
                String password = first(params, "password");
                if (user == null || password == null || !password.equals(passwords.get(user))) {
                    return error(401, "invalid_grant", "bad username or password");
                }
                subject = user;
            } else {
                return error(400, "unsupported_grant_type", "grant_type " + grant);
            }
        } else if ("GET".equals(method)) {
            if (scheme != null && !"Basic".equalsIgnoreCase(scheme)) {
                return error(401, "unauthorized", "only Basic credentials are understood at the realm");
            }
            if (scheme != null) {
                if (basicUser == null || !String.valueOf(basicPassword).equals(passwords.get(basicUser))) {
                    return error(401, "unauthorized", "bad username or password");
                }
            }
            subject = basicUser;
        } else {
            return error(405, "method_not_allowed", method);
        }

        List<Access> granted = new ArrayList<>();
        for (String scope : scopes) {
            int first = scope.indexOf(':');
            int last = scope.lastIndexOf(':');
            if (first < 0 || last == first) {
                return error(400, "invalid_scope", "malformed scope " + scope);
            }
            String type = scope.substring(0, first);
            String name = scope.substring(first + 1, last);
            Set<String> requested =
                    new LinkedHashSet<>(List.of(scope.substring(last + 1).split(",")));
            List<String> allowed = new ArrayList<>();
            for (String action : requested) {
                if (allows(subject, type, name, action)) {
                    allowed.add(action);
                }
            }
            if (allowed.isEmpty() && !grantEmptyScopes) {
                return subject == null
                        ? error(401, "unauthorized", "authentication required for " + scope)
                        : error(403, "denied", subject + " may not " + requested + " " + name);
            }
            if (!allowed.isEmpty()) {
                granted.add(new Access(type, name, allowed));
            }
        }

        String token = issueToken(subject, granted);
        Map<String, Object> body = new LinkedHashMap<>();
        ResponseFields fields = oauth ? ResponseFields.ACCESS_TOKEN_ONLY : responseFields;
        if (fields != ResponseFields.ACCESS_TOKEN_ONLY) {
            body.put("token", token);
        }
        if (fields != ResponseFields.TOKEN_ONLY) {
            body.put("access_token", token);
        }
        body.put("expires_in", lifetimeSeconds());
        body.put("issued_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (oauth) {
            body.put("scope", String.join(" ", scopes));
            if ("offline".equals(first(params, "access_type")) && "password".equals(first(params, "grant_type"))) {
                String refresh = "refresh-" + UUID.randomUUID();
                refreshTokens.put(refresh, subject);
                body.put("refresh_token", refresh);
            }
        }
        return new Answer(200, body);
    }

    private boolean allows(String subject, String type, String name, String action) {
        if (ADMIN_USER.equals(subject)) {
            return true;
        }
        if (!"repository".equals(type) || !"pull".equals(action)) {
            return false;
        }
        Set<String> readers = privateRepositories.get(name);
        if (readers != null) {
            return subject != null && readers.contains(subject);
        }
        return subject != null || anonymousPull;
    }

    private static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Map<String, List<String>> redact(Map<String, List<String>> params) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        params.forEach((k, v) -> {
            String lower = k.toLowerCase(Locale.ROOT);
            boolean secret = lower.equals("password") || lower.equals("refresh_token");
            out.put(k, secret ? Collections.nCopies(v.size(), "<redacted>") : List.copyOf(v));
        });
        return Collections.unmodifiableMap(out);
    }

    @Override
    public void close() {
        HttpServers.stop(server);
    }

    @Override
    public String toString() {
        return "TokenServer[" + realm() + ", service=" + service + "]";
    }
}
