package dev.regx.testing;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real CNCF distribution registry (Debian's {@code docker-registry}, 2.8) on 127.0.0.1, for integration
 * tests and for the {@code src/scripts/local-registry} a newcomer runs. Everything it owns lives in one temp dir:
 * the generated {@code config.yml}, the filesystem storage and the registry's log ({@link #logFile()}).
 *
 * <pre>{@code
 * try (TokenServer tokens = TokenServer.standard().start();
 *      LocalRegistry registry = LocalRegistry.builder().tokenAuth(tokens).start()) {
 *     Fixtures.Set images = Fixtures.pushAll(registry);
 *     ...
 * }
 * }</pre>
 *
 * Starting takes a few tens of milliseconds; {@link SharedRegistry} keeps one per JVM with the fixtures
 * pushed, for tests that only read.
 */
public final class LocalRegistry implements AutoCloseable {
    /** Environment variable naming the registry binary, when it is not {@code docker-registry} on PATH. */
    public static final String BINARY_ENV = "REGX_DOCKER_REGISTRY";
    /** Set (non-empty) to keep the temp dir (config, storage, log) after close, for a post-mortem. */
    public static final String KEEP_ENV = "REGX_KEEP_REGISTRY_DIR";

    private static final String INSTANCE_HEADER = "X-Regx-Test-Registry";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient PROBE =
            HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

    private final Path dir;
    private final Path storageRoot;
    private final Path configFile;
    private final Path logFile;
    private final int port;
    private final Process process;
    private final Thread shutdownHook;
    private final TokenServer tokenServer;
    private final TlsCertificate tls;
    private final BlobRedirectServer blobRedirectServer;
    private final boolean ownsRedirectServer;
    private volatile boolean closed;

    private LocalRegistry(
            Path dir,
            Path storageRoot,
            Path configFile,
            Path logFile,
            int port,
            Process process,
            Thread shutdownHook,
            Builder b,
            BlobRedirectServer redirect,
            boolean ownsRedirect) {
        this.dir = dir;
        this.storageRoot = storageRoot;
        this.configFile = configFile;
        this.logFile = logFile;
        this.port = port;
        this.process = process;
        this.shutdownHook = shutdownHook;
        this.tokenServer = b.tokenServer;
        this.tls = b.tls;
        this.blobRedirectServer = redirect;
        this.ownsRedirectServer = ownsRedirect;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The registry binary: {@value #BINARY_ENV} if set, else {@code docker-registry} on PATH. */
    public static Optional<Path> binary() {
        String explicit = System.getenv(BINARY_ENV);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String d : path.split(File.pathSeparator)) {
            if (d.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(d, "docker-registry");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Whether a registry can be started here (see {@link RequiresRegistry} for what tests do otherwise). */
    public static boolean isAvailable() {
        return binary().isPresent();
    }

    public static final class Builder {
        private TokenServer tokenServer;
        private boolean blobRedirect;
        private boolean redirectRanges = true;
        private URI redirectBaseUrl;
        private int port;
        private TlsCertificate tls;

        /** Serve HTTPS with {@code certificate} (distribution's {@code http.tls}), plain HTTP by default. */
        public Builder tls(TlsCertificate certificate) {
            this.tls = certificate;
            return this;
        }

        /** No authentication at all (the default). */
        public Builder noAuth() {
            this.tokenServer = null;
            return this;
        }

        /** Token auth against {@code tokens}: realm, service, issuer and rootcertbundle come from it. */
        public Builder tokenAuth(TokenServer tokens) {
            this.tokenServer = tokens;
            return this;
        }

        /**
         * Turn on the {@code redirect} storage middleware, with a {@link BlobRedirectServer} over this
         * registry's storage that the registry owns and closes: blob GET and HEAD then answer 307 to it.
         */
        public Builder blobRedirect() {
            this.blobRedirect = true;
            return this;
        }

        /** As {@link #blobRedirect()}, and whether that server honours {@code Range}. */
        public Builder blobRedirect(boolean rangeSupport) {
            this.blobRedirect = true;
            this.redirectRanges = rangeSupport;
            return this;
        }

        /** Redirect blobs to a server of your own (distribution 2.8 keeps only scheme and host of it). */
        public Builder redirectTo(URI baseUrl) {
            this.redirectBaseUrl = baseUrl;
            return this;
        }

        /** A fixed port (e.g. from {@code src/scripts/local-registry --port}); 0, the default, picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public LocalRegistry start() throws IOException {
            Path binary = binary().orElseThrow(() -> new IllegalStateException(
                    "docker-registry is not on PATH (apt-get install docker-registry, or set " + BINARY_ENV + ")"));
            Path dir = Files.createTempDirectory("regx-registry");
            Path storage = Files.createDirectories(dir.resolve("storage"));
            BlobRedirectServer redirect = null;
            boolean owns = false;
            URI baseUrl = redirectBaseUrl;
            if (blobRedirect && baseUrl == null) {
                redirect = BlobRedirectServer.start(storage);
                redirect.rangeSupport(redirectRanges);
                owns = true;
                baseUrl = redirect.baseUri();
            }
            IOException last = null;
            // A free port can be taken between asking and the registry binding it; retry with another.
            for (int attempt = 0; attempt < (port == 0 ? 3 : 1); attempt++) {
                int p = port != 0 ? port : HttpServers.freePort();
                Path config = dir.resolve("config.yml");
                String instance = UUID.randomUUID().toString();
                Files.writeString(config, config(p, storage, baseUrl, instance));
                Path log = dir.resolve("registry.log");
                ProcessBuilder pb = new ProcessBuilder(binary.toString(), "serve", config.toString())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile());
                Map<String, String> env = pb.environment();
                // REGISTRY_* variables override the config file: a developer's shell must not change our registry.
                env.keySet().removeIf(k -> k.startsWith("REGISTRY_"));
                Process process = pb.start();
                LocalRegistry registry = null;
                Thread hook = new Thread(process::destroyForcibly, "stop docker-registry :" + p);
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    registry = new LocalRegistry(dir, storage, config, log, p, process, hook, this, redirect, owns);
                    registry.awaitReady(instance);
                    return registry;
                } catch (IOException e) {
                    last = e;
                    registry.stopProcess();
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
            }
            if (redirect != null) {
                redirect.close();
            }
            TempFiles.deleteQuietly(dir);
            throw last;
        }

        private String config(int p, Path storage, URI baseUrl, String instance) {
            StringBuilder y = new StringBuilder();
            y.append("version: 0.1\n");
            y.append("log:\n  level: warn\n  formatter: text\n  accesslog:\n    disabled: true\n");
            y.append("storage:\n");
            y.append("  filesystem:\n    rootdirectory: ")
                    .append(quote(storage.toString()))
                    .append('\n');
            y.append("  delete:\n    enabled: true\n");
            // No background upload purging: nothing in a test lives long enough to need it.
            y.append("  maintenance:\n    uploadpurging:\n      enabled: false\n");
            // Foreign layers (descriptors with urls) may only point at this machine.
            y.append(
                    "validation:\n  manifests:\n    urls:\n      allow:\n        - '^http://127\\.0\\.0\\.1(:[0-9]+)?/'\n");
            y.append("http:\n  addr: 127.0.0.1:").append(p).append('\n');
            if (tls != null) {
                y.append("  tls:\n    certificate: ")
                        .append(quote(tls.certificatePem().toString()))
                        .append("\n    key: ")
                        .append(quote(tls.keyPem().toString()))
                        .append('\n');
            }
            // A fixed secret silences the "No HTTP secret provided" warning; nothing is shared across instances.
            y.append("  secret: ").append(quote(UUID.randomUUID().toString())).append('\n');
            // Marks every answer as ours: the readiness probe must not be fooled by another server that
            // already holds the port (it would answer /v2/ while our process dies with "address in use").
            y.append("  headers:\n    ")
                    .append(INSTANCE_HEADER)
                    .append(": [")
                    .append(quote(instance))
                    .append("]\n");
            if (tokenServer != null) {
                y.append("auth:\n  token:\n");
                y.append("    realm: ")
                        .append(quote(tokenServer.realm().toString()))
                        .append('\n');
                y.append("    service: ").append(quote(tokenServer.service())).append('\n');
                y.append("    issuer: ").append(quote(tokenServer.issuer())).append('\n');
                y.append("    rootcertbundle: ")
                        .append(quote(tokenServer.signingKey().certificatePem().toString()))
                        .append('\n');
            }
            if (baseUrl != null) {
                y.append("middleware:\n  storage:\n    - name: redirect\n      options:\n");
                y.append("        baseurl: ").append(quote(baseUrl.toString())).append('\n');
            }
            return y.toString();
        }

        private static String quote(String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
    }

    private void awaitReady(String instance) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(baseUri().resolve("/v2/"))
                .timeout(Duration.ofSeconds(1))
                .build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(
                        "docker-registry exited with " + process.exitValue() + " before answering:\n" + logTail());
            }
            try {
                HttpResponse<Void> r = probeClient().send(probe, HttpResponse.BodyHandlers.discarding());
                if (r.headers()
                        .firstValue(INSTANCE_HEADER)
                        .filter(instance::equals)
                        .isPresent()) {
                    return;
                }
            } catch (ConnectException e) {
                // not listening yet
            } catch (IOException e) {
                // e.g. the connection was reset while it was starting up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for docker-registry", e);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for docker-registry", e);
            }
        }
        throw new IOException("docker-registry did not answer /v2/ within " + READY_TIMEOUT + ":\n" + logTail());
    }

    private HttpClient probeClient() {
        return tls == null
                ? PROBE
                : HttpClient.newBuilder()
                        .connectTimeout(Duration.ofMillis(500))
                        .sslContext(tls.clientContext())
                        .build();
    }

    /** The certificate it serves HTTPS with, or empty for plain HTTP. */
    public Optional<TlsCertificate> tls() {
        return Optional.ofNullable(tls);
    }

    /** {@code 127.0.0.1:PORT}: the registry part of an image reference. */
    public String host() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT} ({@code https://} with {@link Builder#tls}). */
    public URI baseUri() {
        return URI.create((tls == null ? "http://" : "https://") + host());
    }

    /** {@code 127.0.0.1:PORT/REPOSITORY_AND_TAG}, e.g. {@code reference("library/alpine:3.19")}. */
    public String reference(String repositoryAndTag) {
        return host() + "/" + repositoryAndTag;
    }

    /** {@code storage.filesystem.rootdirectory}; blobs are under {@code docker/registry/v2/blobs}. */
    public Path storageRoot() {
        return storageRoot;
    }

    /** The storage file of a blob, e.g. to corrupt or delete it behind the registry's back. */
    public Path blobFile(String digest) {
        String hex = Digests.hex(digest);
        return storageRoot.resolve("docker/registry/v2/blobs/sha256/" + hex.substring(0, 2) + "/" + hex + "/data");
    }

    public Path configFile() {
        return configFile;
    }

    /** stdout and stderr of the registry process (level warn, no access log). */
    public Path logFile() {
        return logFile;
    }

    public String logTail() {
        try {
            String all = Files.readString(logFile, StandardCharsets.UTF_8);
            return all.length() <= 4000 ? all : "…" + all.substring(all.length() - 4000);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** The token server this registry trusts, or empty without auth. */
    public Optional<TokenServer> tokenServer() {
        return Optional.ofNullable(tokenServer);
    }

    /** The blob redirect server made by {@link Builder#blobRedirect()}, or empty. */
    public Optional<BlobRedirectServer> blobRedirectServer() {
        return Optional.ofNullable(blobRedirectServer);
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    private void stopProcess() {
        process.destroy();
        try {
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook is running or has run
        }
        if (ownsRedirectServer && blobRedirectServer != null) {
            blobRedirectServer.close();
        }
        String keep = System.getenv(KEEP_ENV);
        if (keep == null || keep.isEmpty()) {
            TempFiles.deleteQuietly(dir);
        }
    }

    @Override
    public String toString() {
        return "LocalRegistry[" + host() + (tokenServer != null ? ", token auth" : ", no auth")
                + (blobRedirectServer != null ? ", blob redirect" : "") + "]";
    }
}
