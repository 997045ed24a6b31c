package dev.regx.startup;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.javanet.NetHttpTransport;
import dev.regx.registry.Digest;
import dev.regx.registry.ImageReference;
import dev.regx.registry.JsonDocument;
import dev.regx.registry.transport.RegistryEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Loads and initialises the HTTP, TLS, JSON and hashing classes on another thread while the main thread is
 * still parsing arguments. A command that talks to a registry needs them all; on a cold JVM their static
 * set-up (the JDK's HTTP handler and the class-path scan its URL handler lookup makes; the default TLS
 * context, which parses the trust store's 140-odd certificates and sets up its cipher suites, the longest
 * part even with the classes archived; Jackson's parser; SHA-256) would otherwise come after picocli's, one
 * after the other. One thread over plain HTTP: with two, the main thread, the JIT and the warm-up compete for 2
 * cores (one was faster); over TLS a second one for the key shares (see {@link #start(boolean)}). Nothing here
 * touches the network (one socket is created, never connected) or the disk's state.
 */
public final class NetworkWarmUp implements Runnable {
    /** The system property by which the launcher says that the command's registry speaks plain HTTP. */
    static final String PLAIN_HTTP = "regx.plainHttp";

    private final boolean tls;

    private NetworkWarmUp(boolean tls) {
        this.tls = tls;
    }

    /**
     * Starts the warm-up for a command of the process: with the TLS context unless the launcher said the
     * registry is reached over plain HTTP ({@value #PLAIN_HTTP}{@code =true}: a loopback host, or
     * {@code --insecure}; its guess from the raw arguments, which also sets the JIT for such runs), where the TLS
     * set-up would only take CPU from the main thread. Run without the launcher, the guess is TLS: only speed
     * depends on it. (A class, not a lambda: the first lambda a JVM links is itself costly.)
     */
    public static void start() {
        start(!Boolean.getBoolean(PLAIN_HTTP));
    }

    /**
     * Starts the warm-up, with the TLS context or without. With it, the handshake's key shares get a thread
     * of their own: over TLS the main thread soon has nothing to do but wait for the TLS set-up, so a second
     * core is free, and JDK 25's secp256r1 code builds a table of precomputed points on first use (tens of
     * milliseconds interpreted). HTTPS `layers` is faster so on JDK 17 and 25 (README, "Start-up measurements").
     */
    public static void start(boolean tls) {
        if (tls) {
            daemon(new KeyShares(), "regx-warm-up-keys");
        }
        daemon(new NetworkWarmUp(tls), "regx-warm-up");
    }

    private static void daemon(Runnable task, String name) {
        Thread t = new Thread(task, name);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        if (JSON_FIRST) {
            data();
        }
        httpClient();
        http();
        if (tls) {
            tls();
        }
        if (!JSON_FIRST) {
            data();
        }
    }

    /**
     * On JDK 24 and later the JSON part goes first. There, BigDecimal's static initialiser computes 5^65536
     * (a table for stripTrailingZeros, JDK-8341470), interpreted arithmetic on a cold JVM, and Jackson's parser
     * base class reaches BigDecimal: the JSON part became the longest, and the main thread, which those JDKs
     * start faster (AOT-linked classes), waited for it at its first response. The same order is slower on JDK
     * 17; over TLS the order made no difference either way (README, "Start-up measurements").
     */
    private static final boolean JSON_FIRST =
            featureVersion(System.getProperty("java.specification.version", "")) >= 24;

    /**
     * The feature version in a {@code java.specification.version} ("17", "25"; "1.8" before 9), 0 if
     * unreadable; Runtime.version() would compile a regular expression to say the same.
     */
    static int featureVersion(String spec) {
        int dot = spec.indexOf('.');
        try {
            return Integer.parseInt(dot < 0 ? spec : spec.substring(0, dot));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * google-http-client's one-time set-up, which the main thread meets as soon as it builds its first request:
     * java.util.logging (the client's logger, whose LogManager links the JVM's first lambdas), the reflective
     * header model (field types, generic signatures, and the annotation proxies its {@code @Key} fields make),
     * OpenCensus's no-op tracer (found by trying to load its implementations). No request is sent.
     */
    private static void httpClient() {
        try {
            HttpRequest request = new NetHttpTransport()
                    .createRequestFactory()
                    .buildGetRequest(new GenericUrl(URI.create("http://127.0.0.1/v2/"), true));
            // Both ways through the header model: a request's headers written out, a response's parsed in.
            HttpHeaders sample =
                    request.getHeaders().setAccept("application/json").setContentLength(1L);
            sample.set("www-authenticate", new ArrayList<>(List.of("Bearer realm=\"x\"")));
            new HttpHeaders().fromHttpHeaders(sample);
        } catch (IOException | RuntimeException | LinkageError ignored) {
            // As below: only speed is at stake.
        }
    }

    /** The HTTP stack: the JDK's handler for http and https URLs. */
    private static void http() {
        try {
            new URL("http://127.0.0.1/").openConnection();
            // The socket layer: InetAddress, the NIO socket implementation and its native libraries, the
            // socket options. Setting an option on an unconnected socket creates its descriptor and nothing
            // else: no connection, no packet, no name resolved. Then what every command parses first, an image
            // reference (its grammar's regular expressions).
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 80).getPort();
            try (Socket socket = new Socket()) {
                socket.setTcpNoDelay(true);
            }
            ImageReference.parse("localhost/regx-warm-up");
        } catch (Exception | LinkageError ignored) {
            // Only speed is at stake; the command itself will meet and report any real problem.
        }
    }

    /** The default TLS context, the one HttpsURLConnection uses: trust store, providers, cipher suites. */
    public static void tls() {
        try {
            ((SSLSocketFactory) SSLSocketFactory.getDefault()).getDefaultCipherSuites();
            // The server name the handshake sends (SNI) goes through IDN, which loads ICU's data on first use.
            new SNIHostName("registry.example");
            // What the first handshake does besides talking and its key shares: the certificate path
            // validation against the trust store (here of one of its own anchors).
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init((KeyStore) null);
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    X509Certificate[] anchors = x509.getAcceptedIssuers();
                    if (anchors.length > 0) {
                        try {
                            x509.checkServerTrusted(new X509Certificate[] {anchors[0]}, "RSA");
                        } catch (CertificateException expected) {
                            // Whether it validates does not matter, only that the validator ran.
                        }
                    }
                }
            }
        } catch (GeneralSecurityException | RuntimeException | LinkageError ignored) {
            // As above.
        }
    }

    /**
     * The key shares of a TLS 1.3 handshake for its two preferred groups: the JDK sends one X25519 and one
     * secp256r1 share; the second is the costlier, about a third of the main thread's handshake on JDK 25
     * when cold.
     */
    public static final class KeyShares implements Runnable {
        @Override
        public void run() {
            try {
                KeyPairGenerator.getInstance("X25519").generateKeyPair();
                KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
                ec.initialize(new ECGenParameterSpec("secp256r1"));
                ec.generateKeyPair();
            } catch (GeneralSecurityException | RuntimeException | LinkageError ignored) {
                // As above.
            }
        }
    }

    /** What the requests carry and check: JSON, SHA-256. */
    private static void data() {
        try {
            for (JsonNode element : JsonDocument.readTree(
                            "{\"a\":[1,\"b\",true,null,{}]}".getBytes(StandardCharsets.UTF_8))
                    .path("a")) {
                element.asText();
            }
            Digest.sha256(new byte[64]);
            // What the token flow and the transport set up once: the environment, the clock and durations
            // of token lifetimes and retries, query encoding, the loopback test for plain HTTP.
            System.getenv("DOCKER_CONFIG");
            Clock.systemUTC().instant().plus(Duration.ofSeconds(60));
            URLEncoder.encode("repository:a/b:pull", StandardCharsets.UTF_8);
            RegistryEndpoint.isLoopback("127.0.0.1");
        } catch (Exception | LinkageError ignored) {
            // As above.
        }
    }
}
