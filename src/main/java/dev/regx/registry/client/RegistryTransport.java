package dev.regx.registry.client;

import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.auth.AuthChallenge;
import dev.regx.registry.auth.BasicAuthorization;
import dev.regx.registry.auth.Credential;
import dev.regx.registry.auth.CredentialSource;
import dev.regx.registry.auth.TokenAuthenticator;
import dev.regx.registry.transport.BodyReadException;
import dev.regx.registry.transport.BodyReading;
import dev.regx.registry.transport.HttpResponseStream;
import dev.regx.registry.transport.HttpTransport;
import dev.regx.registry.transport.NetworkFailureText;
import dev.regx.registry.transport.OutgoingRequest;
import dev.regx.registry.transport.Redaction;
import dev.regx.registry.transport.RegistryEndpoint;
import dev.regx.registry.transport.RegistryErrorBody;
import dev.regx.registry.transport.RetriedRequests;
import dev.regx.registry.transport.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Talks to one registry: the authentication layer, on top of the retry layer ({@link RetriedRequests}) every
 * request goes through. It sends a request with whatever authorization the registry's challenge asked for;
 * redirects carry it only to the registry's own origin, never to a CDN.
 *
 * <p>The first request goes out anonymously; a {@code 401} carries the challenge, which is remembered so
 * later requests authorize up front. A {@code 401} despite a token renews the token once.
 */
public final class RegistryTransport {
    private final RetriedRequests requests;
    private final HttpTransport http;
    private final RegistryEndpoint endpoint;
    private final String registryName;
    private final CredentialSource credentials;
    private final TokenAuthenticator tokens;

    private volatile List<AuthChallenge> challenges;
    private volatile Optional<Credential> credential;

    /**
     * @param http the exchange under {@code requests}, for what a network failure's message advises
     * @param registryName the registry as the user named it ({@code docker.io}), for credential look-up
     */
    public RegistryTransport(
            RetriedRequests requests,
            HttpTransport http,
            RegistryEndpoint endpoint,
            String registryName,
            CredentialSource credentials,
            TokenAuthenticator tokens) {
        this.requests = requests;
        this.http = http;
        this.endpoint = endpoint;
        this.registryName = registryName;
        this.credentials = credentials;
        this.tokens = tokens;
    }

    /**
     * Sends {@code method} to the registry path, authorized for {@code scope}, and returns the final response
     * whatever its status, except that a 401 the registry keeps answering becomes
     * {@link Kind#UNAUTHORIZED}, and connection failures become {@link Kind#NETWORK} once retries are spent.
     * Statuses 429 and 5xx are retried; when retries run out the last such response is returned. The body is
     * left to stream.
     */
    public HttpResponseStream send(String method, String path, String scope, Map<String, String> headers) {
        return send(method, endpoint.resolve(path), scope, headers, BodyReading.STREAM);
    }

    /** As {@link #send(String, String, String, Map)}, reading the body as {@code reading} says within each attempt. */
    public HttpResponseStream send(
            String method, String path, String scope, Map<String, String> headers, BodyReading reading) {
        return send(method, endpoint.resolve(path), scope, headers, reading);
    }

    /** Whether {@code uri} is on this registry's origin (scheme, host, port): where its credentials may go. */
    public boolean isRegistryOrigin(URI uri) {
        return endpoint.isSameOrigin(uri);
    }

    public HttpResponseStream send(String method, URI uri, String scope, Map<String, String> headers) {
        return send(method, uri, scope, headers, BodyReading.STREAM);
    }

    public HttpResponseStream send(
            String method, URI uri, String scope, Map<String, String> headers, BodyReading reading) {
        try {
            return sendAuthorized(OutgoingRequest.of(method, uri, headers), scope, reading);
        } catch (IOException e) {
            if (RetryPolicy.isInterruption(e)) {
                throw new RegistryException(Kind.NETWORK, "interrupted talking to " + endpoint.host(), e);
            }
            throw networkFailure(uri, e);
        }
    }

    private HttpResponseStream sendAuthorized(OutgoingRequest request, String scope, BodyReading reading)
            throws IOException {
        URI origin = endpoint.resolve("");
        Optional<String> authorization = authorization(scope, false);
        HttpResponseStream response = requests.send(request, authorization.orElse(null), origin, reading);
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
        response = requests.send(request, renewed.get(), origin, reading);
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
        if (e instanceof BodyReadException) {
            // The registry answered; its body did not arrive whole: no advice about reaching it.
            return new RegistryException(
                    Kind.NETWORK, "reading " + Redaction.uri(uri) + " failed: " + NetworkFailureText.of(e), e);
        }
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
