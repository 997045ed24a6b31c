package dev.regx.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.regx.startup.archive.SelfSignedCertificate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The RSA key and self-signed certificate the {@link TokenServer} signs JWTs with, and the PEM file the
 * registry trusts ({@code auth.token.rootcertbundle}).
 *
 * <p>Made in-process ({@link SelfSignedCertificate}), not with {@code keytool}, which costs about two seconds
 * here. One key per JVM ({@link #shared()}): every token server in a test run may as well sign with the same
 * key; tests that need an untrusted signer call {@link #generate}.
 */
public final class SigningKey {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SigningKey shared;

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final Path certificatePem;

    private SigningKey(PrivateKey privateKey, X509Certificate certificate, Path certificatePem) {
        this.privateKey = privateKey;
        this.certificate = certificate;
        this.certificatePem = certificatePem;
    }

    /** The key every token server of this JVM uses, made on first use. */
    public static synchronized SigningKey shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("regx-signing-key");
                TempFiles.deleteOnExit(dir);
                shared = generate(dir, "regx-test-token-server");
            } catch (IOException e) {
                throw new IllegalStateException("cannot make the token signing key", e);
            }
        }
        return shared;
    }

    /** Makes a fresh RSA 2048 key and self-signed certificate; writes the certificate PEM into {@code dir}. */
    public static SigningKey generate(Path dir, String commonName) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Instant now = Instant.now();
            X509Certificate cert = SelfSignedCertificate.create(
                    keys, commonName, now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(3650)));
            Path pem = dir.resolve("token-signing-cert.pem");
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(cert.getEncoded());
            Files.writeString(pem, "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n");
            return new SigningKey(keys.getPrivate(), cert, pem);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot make a signing key", e);
        }
    }

    /** PEM of the certificate, for the registry's {@code rootcertbundle}. */
    public Path certificatePem() {
        return certificatePem;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A compact RS256 JWT with the certificate in {@code x5c}: distribution verifies the chain against its
     * rootcertbundle and takes the signing key from the leaf, so no {@code kid} or {@code jwk} is needed.
     */
    public String signJwt(Map<String, Object> claims) {
        try {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("typ", "JWT");
            header.put("alg", "RS256");
            header.put("x5c", List.of(Base64.getEncoder().encodeToString(certificate.getEncoded())));
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String signingInput = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + b64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + b64.encodeToString(signature.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a JWT", e);
        }
    }
}
