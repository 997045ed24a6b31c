package dev.regx.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import picocli.CommandLine;

/**
 * Extra work done only in the run that creates a class-data archive (AppCDS / AOT cache), i.e. when the
 * launcher ({@code src/main/launcher/regx.sh}) passes {@code -Dregx.cds.train=TOUR} to the JVM that builds
 * it (that JVM runs {@code regx --version}): walk the start-up path of a group of commands quietly, so the
 * archive covers them.
 *
 * <p>Two tours, as the launcher keeps an archive for each of two groups of commands: {@code short} for the
 * commands that exchange a few small documents ({@code layers}, help, {@code --version}) and {@code stream}
 * for those that stream layers ({@code ls}, {@code save}). On JDK 24+ everything in an AOT cache is loaded
 * and linked when the JVM starts, whether the command needs it or not: a cache of the short tour starts
 * {@code layers} about 8 ms sooner than one that also holds tar, gzip, zstd and the progress bar. For the same
 * reason a tour name may end in {@code -plain} there: no TLS (some 600 classes of the JDK), for commands whose
 * registry is reached over plain HTTP (a loopback one, or {@code --insecure}); it costs those ~10 ms on JDK 25.
 * And a third tour there, {@code info}, for help and {@code --version}, which reach no registry: their own
 * cache is a third of the short one, and {@code --version} starts in 56 ms instead of 69 (JDK 25).
 *
 * <p>Everything here must be safe offline and without side effects: no network (the servers it talks to run
 * in-process on 127.0.0.1, reached by address, not by a name to look up), no files left behind, output
 * discarded. Add representative start-up work
 * here when commands gain it. Failures are ignored: training only affects speed.
 */
final class Training {
    static final String SHORT = "short";
    static final String STREAM = "stream";
    static final String INFO = "info";

    private Training() {
    }

    /**
     * The tour asked for: {@link #SHORT} or {@link #STREAM}, either perhaps with {@code -plain}, {@link #INFO},
     * or "true" for everything; null when not training.
     */
    static String requested() {
        String tour = System.getProperty("regx.cds.train");
        return tour == null || tour.isEmpty() || tour.equals("false") ? null : tour;
    }

    /** Runs a tour; returns the exit code of each command it ran (all 0 when it covered them all). */
    static List<Integer> run(String tour) {
        boolean tls = !tour.endsWith("-plain");
        tour = tls ? tour : tour.substring(0, tour.length() - "-plain".length());
        boolean all = !SHORT.equals(tour) && !STREAM.equals(tour) && !INFO.equals(tour);
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        List<Integer> codes = new ArrayList<>();
        try {
            codes.add(quiet(nowhere).execute("--version"));
            if (all || SHORT.equals(tour) || INFO.equals(tour)) {
                codes.add(quiet(nowhere).execute("--help"));
                for (String name : quiet(nowhere).getSubcommands().keySet()) {
                    codes.add(quiet(nowhere).execute(name, "--help"));
                }
            }
            if (INFO.equals(tour)) {
                return codes;
            }
            commandsAgainstLoopbackRegistry(nowhere, codes, all || SHORT.equals(tour), all || STREAM.equals(tour), tls);
            if (tls) {
                codes.add(httpsExchange());
            }
        } catch (IOException | GeneralSecurityException | RuntimeException | LinkageError ignored) {
            // Only the archive's coverage suffers.
        }
        return codes;
    }

    private static CommandLine quiet(PrintWriter nowhere) {
        return RegxCommand.commandLine().setOut(nowhere).setErr(nowhere);
    }

    /**
     * {@code regx layers}, {@code ls} and {@code save} of a one-file image, against a registry played by an
     * in-process server on 127.0.0.1: challenge, token, manifest, config, layer. Nothing leaves the machine;
     * the Docker config is not read (no credential helper runs); the saved layer goes to a temporary
     * directory that is removed again.
     */
    private static void commandsAgainstLoopbackRegistry(PrintWriter nowhere, List<Integer> codes, boolean layers,
            boolean streams, boolean tls) throws IOException {
        // What RegxCommand.run starts for these commands in a real run (it is bypassed here), and the TLS
        // context that any registry but a local one needs (the tour's own registry speaks plain HTTP).
        NetworkWarmUp.start(tls);
        if (tls) {
            NetworkWarmUp.tls();
            new NetworkWarmUp.KeyShares().run();
        }
        // `layers` never reads a layer: the short tour's stays out of tar and gzip, which would otherwise be
        // in its archive (and be loaded on every start on JDK 24+).
        byte[] layer = streams ? sampleLayer() : "not read".getBytes(StandardCharsets.UTF_8);
        Path saveTo = Files.createTempDirectory("regx-training");
        try (CannedRegistry registry = CannedRegistry.start(layer)) {
            String image = registry.image();
            Map<String, String> env = Map.of("DOCKER_CONFIG", "/nonexistent/regx-training", "HOME", "/nonexistent/regx-training");
            List<String[]> commands = new ArrayList<>();
            if (layers) {
                commands.add(new String[] {"layers", image});
                commands.add(new String[] {"layers", "--json", image});
            }
            if (streams) {
                commands.add(new String[] {"ls", image, "0"});
                commands.add(new String[] {"ls", "--json", image});
                commands.add(new String[] {"save", "-q", "--progress=never", image, "0", "-o", saveTo + "/"});
            }
            for (String[] args : commands) {
                codes.add(RegxCommand.execute(env::get, nowhere, nowhere, args));
            }
        } finally {
            try (Stream<Path> files = Files.list(saveTo)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(saveTo);
        }
    }

    /**
     * One HTTPS request, handshake included, to a server on 127.0.0.1 with a self-signed certificate made for
     * it, which only this request's TLS context trusts (the default context, with the user's trust store, is
     * set up by {@link NetworkWarmUp#tls()} in the tour). A TLS 1.3 handshake is some 400 classes of the JDK
     * that every registry but a local one needs; unarchived, they cost an HTTPS `regx layers` about 30 ms.
     *
     * @return 0 when the exchange went through
     */
    static int httpsExchange() throws IOException, GeneralSecurityException {
        char[] password = "training".toCharArray();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X509Certificate certificate = SelfSignedCertificate.create(keys, "regx-training", now.minusSeconds(3600), now.plusSeconds(3600));
        KeyStore serverKeys = KeyStore.getInstance("PKCS12");
        serverKeys.load(null, null);
        serverKeys.setKeyEntry("training", keys.getPrivate(), password, new X509Certificate[] {certificate});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(serverKeys, password);
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(keyManagers.getKeyManagers(), null, null);
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("training", certificate);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trusted);
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, trustManagers.getTrustManagers(), null);

        try (ServerSocket socket = server.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread responder = new Thread(() -> {
                try (Socket connection = socket.accept()) {
                    connection.setSoTimeout(10_000);
                    if (CannedRegistry.readHead(connection.getInputStream()) == null) {
                        return;
                    }
                    connection.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
                            .getBytes(StandardCharsets.US_ASCII));
                } catch (IOException ignored) {
                    // The client sees it.
                }
            }, "regx-training-tls");
            responder.setDaemon(true);
            responder.start();
            HttpsURLConnection connection = (HttpsURLConnection) new URL("https://127.0.0.1:" + socket.getLocalPort() + "/v2/")
                    .openConnection(java.net.Proxy.NO_PROXY);
            connection.setSSLSocketFactory(client.getSocketFactory());
            // The certificate names no address (a name would need looking up); it is trusted by this request
            // alone, so the host needs no further check.
            connection.setHostnameVerifier((host, session) -> host.equals("127.0.0.1"));
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(10_000);
            try (InputStream body = connection.getInputStream()) {
                body.readAllBytes();
            }
            return connection.getResponseCode() == 200 ? 0 : 1;
        }
    }

    /** A gzip layer with one small file, as {@code ls} and {@code save} meet them. */
    private static byte[] sampleLayer() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            byte[] content = "training\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("etc/regx-training");
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
