package dev.regx.registry.client;

import dev.regx.registry.Digest;
import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.auth.CredentialSource;
import dev.regx.registry.auth.TokenAuthenticator;
import dev.regx.registry.blob.BlobSource;
import dev.regx.registry.blob.ParallelFetch;
import dev.regx.registry.blob.VerifyingInputStream;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.manifest.ManifestDocument;
import dev.regx.registry.manifest.ManifestResolver;
import dev.regx.registry.manifest.ManifestSelection;
import dev.regx.registry.manifest.MediaTypes;
import dev.regx.registry.manifest.Platform;
import dev.regx.registry.manifest.ResolvedImage;
import dev.regx.registry.transport.BodyReadException;
import dev.regx.registry.transport.BodyReading;
import dev.regx.registry.transport.EnvironmentProxies;
import dev.regx.registry.transport.HttpResponseStream;
import dev.regx.registry.transport.HttpTrace;
import dev.regx.registry.transport.HttpTransport;
import dev.regx.registry.transport.NetworkFailureText;
import dev.regx.registry.transport.Redaction;
import dev.regx.registry.transport.RegistryEndpoint;
import dev.regx.registry.transport.ResponseFailure;
import dev.regx.registry.transport.RetriedRequests;
import dev.regx.registry.transport.RetryNotices;
import dev.regx.registry.transport.RetryPolicy;
import dev.regx.registry.transport.TrustedCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The registry API as the commands need it: resolve a reference to an image, read small blobs whole and
 * verified, open big blobs as streams. One instance serves any number of registries and shares tokens
 * between calls.
 */
public final class RegistryClient implements ManifestResolver.ManifestSource, BlobSource {
    /** Registries commonly cap manifests at 4 MiB; anything bigger is not a manifest. */
    private static final int MAX_MANIFEST_BYTES = 4 << 20;
    /**
     * Configs with long histories reach a few hundred KiB; 8 MiB is far beyond any real one and, read into a
     * JSON tree, still fits the heap the launcher gives regx (64 MiB went out of memory).
     */
    private static final int MAX_CONFIG_BYTES = 8 << 20;

    private final HttpTransport http;
    private final RetriedRequests requests;
    private final TokenAuthenticator tokens;
    private final CredentialSource credentials;
    private final Set<String> insecureHosts;
    private final TrustedCertificates trust;
    private final RetryPolicy retry;
    private final HttpTrace trace;
    private final Map<String, RegistryTransport> transports = new ConcurrentHashMap<>();

    /** Whether a foreign layer may be fetched from the URLs its descriptor lists (containerd asks this too). */
    private final boolean allowForeignUrls;

    private final ParallelFetch parallelFetch;

    private RegistryClient(Builder b) {
        this.trace = b.trace;
        this.http = new HttpTransport(b.connectTimeout, b.readTimeout, b.userAgent, b.trace, b.proxies, b.trust);
        this.trust = b.trust;
        this.retry = b.notices == null ? b.retry : b.retry.withNotices(b.notices);
        this.requests = new RetriedRequests(http, retry, trace);
        this.tokens = new TokenAuthenticator(requests, b.clock);
        this.credentials = b.credentials;
        this.insecureHosts = Set.copyOf(b.insecureHosts);
        this.allowForeignUrls = b.allowForeignUrls;
        this.parallelFetch = b.parallelFetch;
    }

    @Override
    public ParallelFetch parallelFetch() {
        return parallelFetch;
    }

    /** The retry policy this client was built with, retry notices included: for blob downloads to share it. */
    @Override
    public RetryPolicy retryPolicy() {
        return retry;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The transport for the registry of {@code ref}, created on first use. */
    public RegistryTransport transport(ImageReference ref) {
        String host = ref.apiHost();
        RegistryTransport transport = transports.get(host);
        if (transport == null) {
            RegistryTransport fresh = new RegistryTransport(
                    requests,
                    http,
                    RegistryEndpoint.of(host, insecureHosts, trust.extendsTrustFor(host)),
                    ref.registry(),
                    credentials,
                    tokens);
            transport = transports.putIfAbsent(host, fresh);
            if (transport == null) {
                transport = fresh;
            }
        }
        return transport;
    }

    /**
     * Resolves {@code ref} to one image, choosing {@code platform} (default: linux on this machine's CPU) from an
     * index.
     */
    public ResolvedImage resolve(ImageReference ref, Optional<Platform> platform) {
        return new ManifestResolver(this).resolve(ref, platform);
    }

    /** The document {@code ref} names (an index or an image manifest), checked against its pinned digest if any. */
    public ManifestDocument named(ImageReference ref) {
        return new ManifestResolver(this).named(ref);
    }

    /** The image manifest {@code ref} leads to for {@code platform}, chosen as {@link #resolve} chooses it. */
    public ManifestSelection select(ImageReference ref, Optional<Platform> platform) {
        return new ManifestResolver(this).select(ref, platform);
    }

    /**
     * The digest of the document {@code ref} names (an index's own for a multi-platform image), asked with
     * {@code HEAD}: Docker Hub does not count a HEAD against its pull rate limit. A registry that does not
     * answer HEAD with a {@code Docker-Content-Digest}, or names another digest than a pinned reference, gets
     * a GET instead, whose bytes are hashed and checked.
     */
    public String digest(ImageReference ref) {
        String reference = ref.manifestReference();
        try (HttpResponseStream response =
                transport(ref).send("HEAD", manifestPath(ref, reference), scope(ref), ACCEPT_MANIFESTS)) {
            int status = response.status();
            if (response.isSuccess()) {
                String claimed =
                        response.header("Docker-Content-Digest").orElse("").trim();
                if (Digest.isVerifiable(claimed)
                        && (ref.digest().isEmpty() || ref.digest().get().equals(claimed))) {
                    return claimed;
                }
            } else if (status == 401
                    || status == 403
                    || status == 404
                    || status == 429
                    || (status >= 500 && status != 501)) {
                // Whatever a GET would say too. Others (405, 501, 400) say that HEAD is what the registry lacks.
                throw ResponseFailure.of(response, manifestWhat(ref, reference), ResponseFailure.CHECK_THE_NAME);
            }
        }
        return named(ref).digest().toString();
    }

    /** Hands each tag of {@code repository} to {@code tags} as it is read, in the registry's order, across pages. */
    public void tags(ImageReference repository, Consumer<String> tags) {
        new TagList(transport(repository), repository, scope(repository)).forEach(tags);
    }

    private static final Map<String, String> ACCEPT_MANIFESTS =
            Map.of("Accept", String.join(", ", MediaTypes.ACCEPTED_MANIFESTS));

    private static String manifestPath(ImageReference ref, String reference) {
        return "v2/" + ref.repository() + "/manifests/" + reference;
    }

    private static String manifestWhat(ImageReference ref, String reference) {
        return (reference.contains(":") ? "manifest " + reference : "tag \"" + reference + "\"") + " of "
                + ref.registry() + "/" + ref.repository();
    }

    @Override
    public ManifestDocument manifest(ImageReference ref, String reference) {
        String what = manifestWhat(ref, reference);
        try (HttpResponseStream response = transport(ref)
                .send(
                        "GET",
                        manifestPath(ref, reference),
                        scope(ref),
                        ACCEPT_MANIFESTS,
                        BodyReading.whole(MAX_MANIFEST_BYTES))) {
            if (!response.isSuccess()) {
                throw ResponseFailure.of(response, what, ResponseFailure.CHECK_THE_NAME);
            }
            byte[] bytes = response.readBody(MAX_MANIFEST_BYTES);
            ManifestDocument doc = ManifestDocument.parse(
                    bytes, response.header("Content-Type").orElse(null), what);
            String claimed = response.header("Docker-Content-Digest").orElse("").trim();
            if (claimed.startsWith("sha256:") && !claimed.equals(doc.digest().toString())) {
                throw new RegistryException(
                        Kind.DIGEST_MISMATCH,
                        what + " hashes to " + doc.digest() + " but the registry says it is " + claimed);
            }
            return doc;
        } catch (IOException e) {
            throw new RegistryException(Kind.NETWORK, "reading " + what + " failed: " + NetworkFailureText.of(e), e);
        } catch (RegistryException e) {
            throw namingWhatWasRead(e, what);
        }
    }

    /** Reads a small blob (a config) whole, checking its size and digest. */
    @Override
    public byte[] blob(ImageReference ref, Descriptor descriptor) {
        if (descriptor.size() > MAX_CONFIG_BYTES) {
            throw new RegistryException(
                    Kind.MALFORMED_RESPONSE,
                    "blob " + descriptor.digest() + " is " + descriptor.size() + " bytes, too large to be a config");
        }
        String what = ref.blobName(descriptor.digest());
        // Read within the request's attempts (one byte more than the descriptor says, so that a longer blob is
        // caught as such): a reset halfway through a config is retried like any failed request.
        try (HttpResponseStream response =
                openBlob(ref, descriptor, 0, Map.of(), BodyReading.upTo((int) descriptor.size() + 1))) {
            VerifyingInputStream in = new VerifyingInputStream(
                    response.body(), Digest.parse(descriptor.digest()), descriptor.size(), what);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new RegistryException(Kind.NETWORK, "reading " + what + " failed: " + NetworkFailureText.of(e), e);
        } catch (RegistryException e) {
            throw namingWhatWasRead(e, what);
        }
    }

    /** A body that never arrived whole, after every attempt, told by what it is rather than by its URL. */
    private static RegistryException namingWhatWasRead(RegistryException e, String what) {
        if (e.getCause() instanceof BodyReadException cut) {
            return new RegistryException(
                    Kind.NETWORK, "reading " + what + " failed: " + NetworkFailureText.of(cut), cut);
        }
        return e;
    }

    /**
     * Opens a blob for streaming from byte {@code offset} (0 for the whole blob), following the registry's
     * redirect. The response is 200 (whole blob: the server ignored the range), 206 (from {@code offset})
     * or 416 (offset at or past the end); any other status is thrown as a classified exception.
     */
    @Override
    public HttpResponseStream openBlob(ImageReference ref, Descriptor descriptor, long offset) {
        return openBlob(
                ref,
                descriptor,
                offset,
                offset > 0 ? Map.of("Range", "bytes=" + offset + "-") : Map.of(),
                BodyReading.STREAM);
    }

    @Override
    public HttpResponseStream openBlobRange(
            ImageReference ref, Descriptor descriptor, long first, long last, URI location) {
        Map<String, String> range = Map.of("Range", "bytes=" + first + "-" + last);
        RegistryTransport transport = transport(ref);
        if (location != null && !transport.isRegistryOrigin(location)) {
            // The CDN's URL again, sparing the registry's round trip; send() adds no credentials for that origin.
            try {
                HttpResponseStream response = transport.send("GET", location, scope(ref), range);
                if (response.status() == 206) {
                    return response;
                }
                response.close();
            } catch (RegistryException e) {
                trace.line("! " + Redaction.uri(location) + " failed; asking the registry again: " + e.getMessage());
            }
        }
        return openBlob(ref, descriptor, first, range, BodyReading.STREAM);
    }

    private HttpResponseStream openBlob(
            ImageReference ref, Descriptor descriptor, long offset, Map<String, String> headers, BodyReading reading) {
        HttpResponseStream response = transport(ref)
                .send("GET", "v2/" + ref.repository() + "/blobs/" + descriptor.digest(), scope(ref), headers, reading);
        int status = response.status();
        if (status == 200 || status == 206 || (status == 416 && offset > 0)) {
            return response;
        }
        String what = ref.blobName(descriptor.digest());
        if (status == 404 && !descriptor.urls().isEmpty()) {
            response.close();
            if (!allowForeignUrls) {
                // The URLs are the image author's choice, not the user's: fetching them unasked would let an
                // image make blind requests to any host, internal addresses included.
                throw new RegistryException(
                        Kind.NOT_FOUND,
                        what + " is a foreign layer the registry does not hold; its manifest lists "
                                + descriptor.urls().size() + (descriptor.urls().size() == 1 ? " URL" : " URLs")
                                + " on other hosts, which regx fetches only with --allow-foreign-urls");
            }
            return openForeign(descriptor, headers, what, reading);
        }
        try (response) {
            throw ResponseFailure.of(response, what, ResponseFailure.REGISTRY_LACKS_BLOB);
        }
    }

    /**
     * A foreign (non-distributable) layer the registry does not hold: fetched from the URLs its descriptor
     * lists, in order, without credentials (they belong to the registry, not to whoever hosts the URL).
     */
    private HttpResponseStream openForeign(
            Descriptor descriptor, Map<String, String> headers, String what, BodyReading reading) {
        StringBuilder failures = new StringBuilder();
        for (String url : descriptor.urls()) {
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                failures.append("; ").append("not a URL: ").append(url);
                continue;
            }
            if (uri.getHost() == null
                    || !("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))) {
                failures.append("; not an http(s) URL: ").append(Redaction.uri(uri));
                continue;
            }
            String host = HttpTransport.authority(uri);
            RegistryTransport anonymous = new RegistryTransport(
                    requests,
                    http,
                    RegistryEndpoint.of(host, insecureHosts, trust.extendsTrustFor(host)),
                    host,
                    CredentialSource.anonymous(),
                    tokens);
            try {
                HttpResponseStream response = anonymous.send("GET", uri, null, headers, reading);
                if (response.status() == 200 || response.status() == 206) {
                    return response;
                }
                failures.append("; ")
                        .append(Redaction.uri(uri))
                        .append(": HTTP ")
                        .append(response.status());
                response.close();
            } catch (RegistryException e) {
                failures.append("; ").append(Redaction.uri(uri)).append(": ").append(e.getMessage());
            }
        }
        throw new RegistryException(
                Kind.NOT_FOUND,
                "foreign layer " + what + " is not in the registry and its URLs did not" + " answer" + failures);
    }

    private static String scope(ImageReference ref) {
        return "repository:" + ref.repository() + ":pull";
    }

    /** Settings for a client; the defaults suit an interactive command. */
    public static final class Builder {
        private CredentialSource credentials = CredentialSource.anonymous();
        private Set<String> insecureHosts = Set.of();
        private HttpTrace trace = HttpTrace.off();
        private EnvironmentProxies proxies = EnvironmentProxies.NONE;
        private TrustedCertificates trust = TrustedCertificates.NONE;
        private RetryPolicy retry = RetryPolicy.standard();
        private RetryNotices notices;
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration readTimeout = Duration.ofSeconds(60);
        private String userAgent = "regx/" + version();
        private Clock clock = Clock.systemUTC();
        private boolean allowForeignUrls;
        private ParallelFetch parallelFetch = ParallelFetch.of(4);

        /** How big blobs are fetched (default: 4 connections). */
        public Builder parallelFetch(ParallelFetch p) {
            this.parallelFetch = p;
            return this;
        }

        /** Fetch foreign layers the registry lacks from the URLs their descriptors list (off by default). */
        public Builder allowForeignUrls(boolean allow) {
            this.allowForeignUrls = allow;
            return this;
        }

        public Builder credentials(CredentialSource c) {
            this.credentials = c;
            return this;
        }

        public Builder insecureHosts(Set<String> hosts) {
            this.insecureHosts = hosts;
            return this;
        }

        /** The proxies to connect through (default: none beyond the JVM's own settings). */
        public Builder proxies(EnvironmentProxies p) {
            this.proxies = p;
            return this;
        }

        /** CA certificates to trust on top of the system's (default: none). */
        public Builder trustedCertificates(TrustedCertificates t) {
            this.trust = t;
            return this;
        }

        public Builder trace(HttpTrace t) {
            this.trace = t;
            return this;
        }

        public Builder retryPolicy(RetryPolicy r) {
            this.retry = r;
            return this;
        }

        /** Who hears about retries that make the user wait (default: the retry policy's own, none). */
        public Builder retryNotices(RetryNotices n) {
            this.notices = n;
            return this;
        }

        public Builder connectTimeout(Duration d) {
            this.connectTimeout = d;
            return this;
        }

        public Builder readTimeout(Duration d) {
            this.readTimeout = d;
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = c;
            return this;
        }

        public RegistryClient build() {
            return new RegistryClient(this);
        }
    }

    /** regx's version from the jar manifest, "dev" when run from classes. */
    public static String version() {
        String v = RegistryClient.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
