package dev.regx.startup.archive;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Writes a minimal self-signed X.509 v3 certificate (SHA256withRSA, CN only, basicConstraints CA, optionally
 * subject alternative names) as DER.
 *
 * <p>For the archive builder's TLS handshake ({@link Training}: the server side of a loopback handshake needs
 * a certificate), for the tests' token server, whose signing certificate the registry checks, and for the
 * tests' TLS registry, whose certificate must name the address or host it is reached by.
 *
 * <p>Why by hand: the JDK has no public API to create a certificate, and running {@code keytool} costs about
 * two seconds per key on these machines (a JVM start plus key generation). DER for this one fixed shape is a
 * few dozen lines; the result is parsed back with the JDK's {@link CertificateFactory} and is verified by
 * distribution's Go x509 code in the integration tests.
 */
public final class SelfSignedCertificate {
    private static final byte[] SHA256_WITH_RSA = {
        0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0b
    };
    private static final byte[] COMMON_NAME = {0x06, 0x03, 0x55, 0x04, 0x03};
    private static final byte[] BASIC_CONSTRAINTS = {0x06, 0x03, 0x55, 0x1d, 0x13};
    private static final byte[] SUBJECT_ALT_NAME = {0x06, 0x03, 0x55, 0x1d, 0x11};
    private static final DateTimeFormatter UTC_TIME =
            DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private SelfSignedCertificate() {}

    public static X509Certificate create(KeyPair keys, String commonName, Instant notBefore, Instant notAfter)
            throws GeneralSecurityException {
        return create(keys, commonName, notBefore, notAfter, new String[0]);
    }

    /**
     * As above, naming {@code altNames} as subject alternative names: IPv4 addresses (dotted quads) and DNS
     * names, which is what TLS clients check a server's host against (Java ignores the CN for that).
     */
    public static X509Certificate create(
            KeyPair keys, String commonName, Instant notBefore, Instant notAfter, String... altNames)
            throws GeneralSecurityException {
        byte[] algorithm = seq(SHA256_WITH_RSA, new byte[] {0x05, 0x00});
        byte[] name = seq(set(seq(COMMON_NAME, tlv(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
        byte[] validity = seq(utcTime(notBefore), utcTime(notAfter));
        byte[] serial = tlv(
                0x02, new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray());
        byte[] caTrue = seq(new byte[] {0x01, 0x01, (byte) 0xff});
        byte[] basicConstraints = seq(BASIC_CONSTRAINTS, new byte[] {0x01, 0x01, (byte) 0xff}, tlv(0x04, caTrue));
        byte[] extensions = tlv(
                0xa3,
                altNames.length == 0
                        ? seq(basicConstraints)
                        : seq(basicConstraints, seq(SUBJECT_ALT_NAME, tlv(0x04, generalNames(altNames)))));
        byte[] tbs = seq(
                tlv(0xa0, new byte[] {0x02, 0x01, 0x02}),
                serial,
                algorithm,
                name,
                validity,
                name,
                keys.getPublic().getEncoded(),
                extensions);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(keys.getPrivate());
        s.update(tbs);
        byte[] sig = s.sign();
        byte[] bitString = new byte[sig.length + 1];
        System.arraycopy(sig, 0, bitString, 1, sig.length);
        byte[] der = seq(tbs, algorithm, tlv(0x03, bitString));
        return (X509Certificate)
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** GeneralNames: iPAddress ([7], the address's bytes) for a dotted quad, else dNSName ([2], IA5 text). */
    private static byte[] generalNames(String... names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : names) {
            if (name.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
                byte[] address = new byte[4];
                String[] parts = name.split("\\.");
                for (int i = 0; i < 4; i++) {
                    address[i] = (byte) Integer.parseInt(parts[i]);
                }
                out.writeBytes(tlv(0x87, address));
            } else {
                out.writeBytes(tlv(0x82, name.getBytes(StandardCharsets.US_ASCII)));
            }
        }
        return seq(out.toByteArray());
    }

    private static byte[] utcTime(Instant t) {
        return tlv(0x17, UTC_TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] seq(byte[]... parts) {
        return tlv(0x30, concat(parts));
    }

    private static byte[] set(byte[]... parts) {
        return tlv(0x31, concat(parts));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else if (n < 0x10000) {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n);
        } else {
            out.write(0x83);
            out.write(n >> 16);
            out.write(n >> 8);
            out.write(n);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
