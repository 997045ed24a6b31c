package dev.regx.testing;

import dev.regx.startup.archive.SelfSignedCertificate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A self-signed server certificate for a test's TLS registry, naming {@code 127.0.0.1} and
 * {@link #HOST_NAME}, with its key, written as PEM files distribution reads ({@code http.tls.certificate},
 * {@code http.tls.key}); it is its own CA, so a client trusts the registry by trusting {@link #certificatePem()}.
 */
public final class TlsCertificate {
    /** A name tests map to 127.0.0.1 (see {@code -Djdk.net.hosts.file}): a registry regx does not take for loopback. */
    public static final String HOST_NAME = "registry.regx.test";

    private final X509Certificate certificate;
    private final Path certificatePem;
    private final Path keyPem;

    private TlsCertificate(X509Certificate certificate, Path certificatePem, Path keyPem) {
        this.certificate = certificate;
        this.certificatePem = certificatePem;
        this.keyPem = keyPem;
    }

    /** A new key and certificate, valid for an hour around now, their PEM files in {@code dir}. */
    public static TlsCertificate create(Path dir) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X509Certificate certificate = SelfSignedCertificate.create(
                    keys, "regx test registry", now.minusSeconds(3600), now.plusSeconds(3600), "127.0.0.1", HOST_NAME);
            Path cert = dir.resolve("registry.crt");
            Path key = dir.resolve("registry.key");
            Files.writeString(cert, pem("CERTIFICATE", certificate.getEncoded()), StandardCharsets.US_ASCII);
            Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            return new TlsCertificate(certificate, cert, key);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** The certificate as PEM: what goes into certs.d or --ca-file. */
    public Path certificatePem() {
        return certificatePem;
    }

    public Path keyPem() {
        return keyPem;
    }

    /** A client context that trusts this certificate alone (for test code talking to the registry). */
    public SSLContext clientContext() {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("registry", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
