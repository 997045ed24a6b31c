package dev.regx.registry.client;

import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.auth.AuthChallenge;
import dev.regx.registry.auth.BasicAuthorization;
import dev.regx.registry.auth.Credential;
import dev.regx.registry.auth.CredentialSource;
import dev.regx.registry.auth.TokenAuthenticator;
import dev.regx.registry.transport.HttpResponseStream;
import dev.regx.registry.transport.HttpTrace;
import dev.regx.registry.transport.HttpTransport;
import dev.regx.registry.transport.NetworkFailureText;
import dev.regx.registry.transport.Redaction;
import dev.regx.registry.transport.RegistryEndpoint;
import dev.regx.registry.transport.RegistryErrorBody;
import dev.regx.registry.transport.RetryNotices;
import dev.regx.registry.transport.RetryPolicy;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Talks to one registry: sends a request with whatever authorization the registry's challenge asked for,
 * follows redirects (dropping {@code Authorization} whenever the next hop is another origin, as a CDN
 * rejects it and must never see it), and retries transient failures.
 *
 * <p>The first request goes out anonymously; a {@code 401} carries the challenge, which is remembered so
 * later requests authorize up front. A {@code 401} despite a token renews the token once.
 */
public final class RegistryTransport {
    private static final int MAX_REDIRECTS = 10;

    private final HttpTransport http;
    private final RegistryEndpoint endpoint;
    private final String registryName;
    private final CredentialSource credentials;
    private final TokenAuthenticator tokens;
    private final RetryPolicy retry;
    private final HttpTrace trace;

    private volatile List<AuthChallenge> challenges;
    private volatile Optional<Credential> credential;

    /**
     * @param registryName the registry as the user named it ({@code docker.io}), for credential look-up
     */
    public RegistryTransport(
            HttpTransport http,
            RegistryEndpoint endpoint,
            String registryName,
            CredentialSource credentials,
            TokenAuthenticator tokens,
            RetryPolicy retry,
            HttpTrace trace) {
        this.http = http;
        this.endpoint = endpoint;
        this.registryName = registryName;
        this.credentials = credentials;
        this.tokens = tokens;
        this.retry = retry;
        this.trace = trace;
    }

    /**
     * Sends {@code method} to the registry path, authorized for {@code scope}, and returns the final response
     * whatever its status, except that a 401 the registry keeps answering becomes
     * {@link Kind#UNAUTHORIZED}, and connection failures become {@link Kind#NETWORK} once retries are spent.
     * Statuses 429 and 5xx are retried; when retries run out the last such response is returned.
     */
    public HttpResponseStream send(String method, String path, String scope, Map<String, String> headers) {
        return send(method, endpoint.resolve(path), scope, headers);
    }

    /** Whether {@code uri} is on this registry's origin (scheme, host, port): where its credentials may go. */
    public boolean isRegistryOrigin(URI uri) {
        return endpoint.isSameOrigin(uri);
    }

    public HttpResponseStream send(String method, URI uri, String scope, Map<String, String> headers) {
        for (int attempt = 1; ; attempt++) {
            HttpResponseStream response;
            try {
                response = sendAuthorized(method, uri, scope, headers);
            } catch (IOException e) {
                if (e instanceof InterruptedIOException && !(e instanceof java.net.SocketTimeoutException)) {
                    throw new RegistryException(Kind.NETWORK, "interrupted talking to " + endpoint.host(), e);
                }
                Optional<Duration> delay = retry.delayBefore(attempt, Optional.empty());
                if (delay.isEmpty()) {
                    throw networkFailure(uri, e);
                }
                trace.line("! " + NetworkFailureText.of(e) + "; retrying in "
                        + delay.get().toMillis() + " ms");
                if (e instanceof java.net.SocketTimeoutException) {
                    retry.notices()
                            .retrying(endpoint.host() + " did not answer in time; trying again (attempt "
                                    + (attempt + 1) + " of " + retry.maxAttempts() + ")");
                }
                retry.sleep(delay.get());
                continue;
            }
            if (RetryPolicy.isRetryableStatus(response.status())) {
                Optional<Duration> delay = retry.delayBefore(attempt, response.header("Retry-After"));
                if (delay.isPresent()) {
                    trace.line("! HTTP " + response.status() + "; retrying in "
                            + delay.get().toMillis() + " ms");
                    if (delay.get().compareTo(RetryNotices.NOTICEABLE) >= 0) {
                        retry.notices()
                                .retrying(endpoint.host() + " answered HTTP " + response.status() + "; trying again in "
                                        + delay.get().toSeconds() + " s (attempt " + (attempt + 1) + " of "
                                        + retry.maxAttempts() + ")");
                    }
                    response.close();
                    retry.sleep(delay.get());
                    continue;
                }
            }
            return response;
        }
    }

    private HttpResponseStream sendAuthorized(String method, URI uri, String scope, Map<String, String> headers)
            throws IOException {
        Optional<String> authorization = authorization(scope, false);
        HttpResponseStream response = followRedirects(method, uri, headers, authorization);
        if (response.status() != 401 || !endpoint.isSameOrigin(response.uri())) {
            return response;
        }
        List<AuthChallenge> offered = AuthChallenge.parse(String.join(", ", response.headers("WWW-Authenticate")));
        String registrySaid = RegistryErrorBody.summary(response);
        response.close();
        if (offered.isEmpty()) {
            throw new RegistryException(
                    Kind.UNAUTHORIZED,
                    endpoint.host() + " answered 401 without saying how to authenticate" + registrySaid);
        }
        challenges = offered;
        Optional<String> renewed = authorization(scope, authorization.isPresent());
        if (renewed.isEmpty()) {
            throw unauthorized(scope, registrySaid);
        }
        response = followRedirects(method, uri, headers, renewed);
        if (response.status() == 401 && endpoint.isSameOrigin(response.uri())) {
            String said = RegistryErrorBody.summary(response);
            response.close();
            throw unauthorized(scope, said);
        }
        return response;
    }

    /** The {@code Authorization} value for the registry's last challenge, or empty before any challenge. */
    private Optional<String> authorization(String scope, boolean forceRenew) {
        List<AuthChallenge> known = challenges;
        if (known == null) {
            return Optional.empty();
        }
        for (AuthChallenge bearer : known) {
            if (bearer.isBearer()) {
                return Optional.of(
                        tokens.token(bearer, scope, credential(), forceRenew).authorizationHeader());
            }
        }
        boolean basic = false;
        for (AuthChallenge c : known) {
            basic |= c.isBasic();
        }
        if (basic) {
            Optional<Credential> c = credential().filter(x -> !x.isIdentityToken());
            if (c.isPresent()
                    && (!endpoint.isPlainHttp()
                            || RegistryEndpoint.isLoopback(RegistryEndpoint.hostWithoutPort(endpoint.host())))) {
                return Optional.of(BasicAuthorization.header(c.get()));
            }
            return Optional.empty();
        }
        throw new RegistryException(
                Kind.UNAUTHORIZED,
                endpoint.host() + " asks for authentication by " + known.get(0).scheme()
                        + ", which regx does not speak (Bearer and Basic only)");
    }

    private Optional<Credential> credential() {
        Optional<Credential> c = credential;
        if (c == null) {
            c = credentials.lookup(registryName);
            credential = c;
        }
        return c;
    }

    private HttpResponseStream followRedirects(
            String method, URI uri, Map<String, String> headers, Optional<String> authorization) throws IOException {
        URI current = uri;
        String currentMethod = method;
        for (int hop = 0; ; hop++) {
            Map<String, String> sent = new LinkedHashMap<>(headers);
            // Credentials belong to the registry's origin only; a redirect to a CDN carries its own signature.
            if (authorization.isPresent() && endpoint.isSameOrigin(current)) {
                sent.put("Authorization", authorization.get());
            }
            HttpResponseStream response = http.send(currentMethod, current, sent, null, null);
            if (!response.isRedirect()) {
                return response;
            }
            Optional<String> location = response.header("Location");
            response.close();
            if (location.isEmpty()) {
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE, Redaction.uri(current) + " redirected without a Location");
            }
            if (hop >= MAX_REDIRECTS) {
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE,
                        "more than " + MAX_REDIRECTS + " redirects from " + Redaction.uri(uri));
            }
            URI next;
            try {
                next = current.resolve(location.get());
            } catch (IllegalArgumentException e) {
                // A space, a control byte: not a URI. The Location is not quoted: it is the server's text.
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE,
                        Redaction.uri(current) + " redirected to a Location that is not a valid URL");
            }
            if (!"http".equalsIgnoreCase(next.getScheme()) && !"https".equalsIgnoreCase(next.getScheme())) {
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE, "redirect to a non-HTTP URL from " + Redaction.uri(current));
            }
            if (response.status() == 303) {
                currentMethod = "GET";
            }
            current = next;
        }
    }

    private RegistryException unauthorized(String scope, String registrySaid) {
        boolean anonymous = credential().isEmpty();
        String what = scope != null && scope.startsWith("repository:") ? scope.split(":")[1] : endpoint.host();
        return new RegistryException(
                Kind.UNAUTHORIZED,
                anonymous
                        ? registryName + "/" + what + " does not exist or needs credentials" + registrySaid
                                + "; if it is private, run `docker login " + registryName + "` or pass --username"
                        : "access to " + registryName + "/" + what + " denied for user "
                                + credential().get().username() + registrySaid
                                + "; check the name and that this account may pull it");
    }

    /** Whether TLS failed because the server's certificate was not trusted (unknown CA, wrong name, expired). */
    private static boolean isCertificateRefused(IOException e) {
        for (Throwable c = e; c != null && c != c.getCause(); c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateException) {
                return true;
            }
        }
        return false;
    }

    private RegistryException networkFailure(URI uri, IOException e) {
        boolean tlsFailure = e instanceof javax.net.ssl.SSLException;
        // Through a proxy, the failure is as likely the proxy's (a wrong HTTPS_PROXY): say which one was used.
        String via = http.describeProxyFor(uri)
                .map(p -> " (through the " + p + "; check it, or add the registry to NO_PROXY)")
                .orElse("");
        String advice = !tlsFailure || endpoint.isPlainHttp()
                ? via.isEmpty() ? NetworkFailureText.advice(e) : ""
                : isCertificateRefused(e)
                        ? "; " + http.untrustedCertificateAdvice(HttpTransport.authority(uri))
                        : "; if it speaks plain HTTP, use --insecure " + endpoint.host();
        return new RegistryException(
                Kind.NETWORK, "cannot reach " + Redaction.uri(uri) + ": " + NetworkFailureText.of(e) + via + advice, e);
    }
}
