package dev.regx.registry.transport;

import dev.regx.UsageException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * Certificate authorities trusted on top of the system's, Docker's way: the {@code *.crt} files in
 * {@code CERTS_D/HOST[:PORT]/} for connections to that host (the port as the reference names it), and
 * {@code --ca-file} certificates for every connection of the run. Never instead of the system's, and never
 * "trust everything".
 *
 * <p>A host with nothing extra uses the JDK's default TLS context untouched; a context of its own is built only
 * for a host that has something (the system's anchors copied into a key store with the extra ones), once.
 */
public final class TrustedCertificates {
    /** Nothing beyond the system's trust store. */
    public static final TrustedCertificates NONE = new TrustedCertificates(List.of(), List.of());

    private final List<Path> certsDirectories;
    private final List<X509Certificate> everyHost;
    private final Map<String, Optional<SSLSocketFactory>> factories = new ConcurrentHashMap<>();

    private TrustedCertificates(List<Path> certsDirectories, List<X509Certificate> everyHost) {
        this.certsDirectories = certsDirectories;
        this.everyHost = everyHost;
    }

    /**
     * @param certsDirectories directories like {@code /etc/docker/certs.d}, searched in order for a directory
     *     per host; missing ones are skipped
     * @param caFiles PEM (or DER) files of CA certificates trusted for every host
     * @throws UsageException when a CA file cannot be read or holds no certificate
     */
    public static TrustedCertificates of(List<Path> certsDirectories, List<Path> caFiles) {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Path file : caFiles) {
            certificates.addAll(read(file, "--ca-file " + file));
        }
        return new TrustedCertificates(List.copyOf(certsDirectories), List.copyOf(certificates));
    }

    /** Whether connections to {@code hostAndPort} trust more than the system's CAs (so it surely speaks TLS). */
    public boolean extendsTrustFor(String hostAndPort) {
        return !everyHost.isEmpty() || !hostFiles(hostAndPort).isEmpty();
    }

    /** Where a CA for {@code hostAndPort} may go, for the message after a certificate was refused. */
    public String remedyFor(String hostAndPort) {
        StringBuilder s = new StringBuilder("if a private CA signed its certificate, put that CA in ");
        for (int i = 0; i < certsDirectories.size(); i++) {
            s.append(i == 0 ? "" : " or ")
                    .append(certsDirectories.get(i).resolve(hostAndPort).resolve("ca.crt"));
        }
        return s.append(certsDirectories.isEmpty() ? "a file and pass --ca-file FILE" : ", or pass --ca-file FILE")
                .toString();
    }

    /** The socket factory for {@code hostAndPort}, empty when the JDK's default does (nothing extra to trust). */
    Optional<SSLSocketFactory> socketFactory(String hostAndPort) {
        return factories.computeIfAbsent(hostAndPort, this::build);
    }

    private Optional<SSLSocketFactory> build(String hostAndPort) {
        List<X509Certificate> extra = new ArrayList<>(everyHost);
        for (Path file : hostFiles(hostAndPort)) {
            extra.addAll(read(file, file.toString()));
        }
        if (extra.isEmpty()) {
            return Optional.empty();
        }
        try {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int n = 0;
            // The system's (or -Djavax.net.ssl.trustStore's) anchors, as the default context trusts them.
            TrustManagerFactory system = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            system.init((KeyStore) null);
            for (TrustManager manager : system.getTrustManagers()) {
                if (manager instanceof X509TrustManager x509) {
                    for (X509Certificate anchor : x509.getAcceptedIssuers()) {
                        anchors.setCertificateEntry("system-" + n++, anchor);
                    }
                }
            }
            for (X509Certificate certificate : extra) {
                anchors.setCertificateEntry("extra-" + n++, certificate);
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(anchors);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return Optional.of(context.getSocketFactory());
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot set up TLS with the extra CA certificates: " + e, e);
        }
    }

    /**
     * The {@code *.crt} files of {@code hostAndPort}'s directories, in name order (Docker's other files are client
     * keys).
     */
    private List<Path> hostFiles(String hostAndPort) {
        List<Path> files = new ArrayList<>();
        if (hostAndPort.contains("/") || hostAndPort.startsWith(".")) {
            return files; // not a host: never a path out of the directory
        }
        for (Path directory : certsDirectories) {
            Path host = directory.resolve(hostAndPort);
            if (!Files.isDirectory(host)) {
                continue;
            }
            TreeSet<Path> sorted = new TreeSet<>();
            try (DirectoryStream<Path> crts = Files.newDirectoryStream(host, "*.crt")) {
                crts.forEach(sorted::add);
            } catch (IOException e) {
                throw new UsageException("cannot read " + host + ": " + e.getMessage() + "; fix its permissions");
            }
            files.addAll(sorted);
        }
        return files;
    }

    private static List<X509Certificate> read(Path file, String what) {
        List<X509Certificate> certificates = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                if (c instanceof X509Certificate x509) {
                    certificates.add(x509);
                }
            }
        } catch (IOException e) {
            throw new UsageException("cannot read " + what + ": "
                    + (e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage()));
        } catch (CertificateException e) {
            throw new UsageException(what + " is not a PEM or DER certificate: " + e.getMessage());
        }
        if (certificates.isEmpty()) {
            throw new UsageException(what + " holds no certificate");
        }
        return certificates;
    }
}
