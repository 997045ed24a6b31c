package dev.regx.startup.archive;

import dev.regx.cli.Main;
import dev.regx.cli.RegxCommand;
import dev.regx.startup.NetworkWarmUp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 * The run that a class-data archive (AppCDS / AOT cache) is made from: the launcher's archive builder
 * ({@code src/main/launcher/regx.sh}) starts a JVM on this class, whose {@link #main} runs {@code regx --version}
 * as users run it and then walks the start-up path of some commands quietly, so the archive covers them.
 *
 * <p>The launcher keeps an archive per group of commands and says which parts of the tour each needs, as one
 * comma-separated argument: {@code help} (the help of every command), {@code layers} ({@code layers},
 * {@code layers --json} and the {@link #VIEWS}), {@code stream} ({@code ls} and {@code save}, which stream
 * layers) and {@code tls} (the JDK's TLS stack: every registry but a local one needs it). Why it matters which: on JDK
 * 24+ everything in an AOT cache is loaded and linked when the JVM starts, whether the command needs it or not, so
 * a cache with help, with tar, gzip, zstd and the progress bar, or with TLS (some 600 classes of the JDK) in it starts
 * {@code layers} later; so help gets a cache of its own, {@code --version} one made from its own run without any
 * tour, and a registry reached over plain HTTP (a loopback one, or {@code --insecure}) one without TLS. A JDK 17-23
 * archive is read as it is used, but there too a command's classes lie on fewer pages in an archive of only what its
 * group uses, so the launcher groups the commands alike on every JDK (figures: README, "Start-up measurements").
 *
 * <p>Everything here must be safe offline and without side effects: no network (the servers it talks to run
 * in-process on 127.0.0.1, reached by address, not by a name to look up), no files left behind, output
 * discarded. Add representative start-up work
 * here when commands gain it. Failures are ignored: training only affects speed.
 */
public final class Training {
    static final String HELP = "help";
    static final String LAYERS = "layers";
    static final String STREAM = "stream";
    static final String TLS = "tls";
    /** The commands toured with {@code layers}: they exchange the same few small documents with a registry. */
    static final List<String> VIEWS = List.of("manifest", "config", "platforms", "tags", "digest");

    private Training() {}

    /**
     * The archive builder's run: {@code regx --version}, then the tour {@code args[0]} (none for
     * {@code --version}'s own archive). Exits with {@code --version}'s status, which the builder checks before it
     * makes the archive; the tour's failures only cost the archive coverage.
     */
    public static void main(String[] args) {
        int code = Main.run("--version");
        if (args.length > 0) {
            run(args[0]);
        }
        System.exit(code);
    }

    /** The start of the name of the temporary directory {@code save} writes to; the process id follows. */
    static final String SAVE_PREFIX = "regx-training-";

    /** Runs a tour; returns the exit code of each command it ran (all 0 when it covered them all). */
    static List<Integer> run(String tour) {
        List<String> parts = List.of(tour.split(","));
        boolean tls = parts.contains(TLS);
        boolean layers = parts.contains(LAYERS);
        boolean stream = parts.contains(STREAM);
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        List<Integer> codes = new ArrayList<>();
        try {
            // The whole command line (every subcommand's model, and picocli's help command read from its
            // annotations) only for help: the run that builds the archive has just done `regx --version` the
            // way users run it, and a command run alone builds its own model only, so for the other parts
            // those classes would only sit between the ones they use (a 4% smaller archive for `layers`, whose
            // start-up did not change beyond the noise).
            if (parts.contains(HELP)) {
                codes.add(quiet(nowhere).execute("--version"));
                codes.add(quiet(nowhere).execute("--help"));
                for (String name : quiet(nowhere).getSubcommands().keySet()) {
                    codes.add(quiet(nowhere).execute(name, "--help"));
                }
            }
            if (layers || stream) {
                commandsAgainstLoopbackRegistry(nowhere, codes, layers, stream, tls);
            }
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
     * the Docker config is not read (no credential helper runs).
     */
    private static void commandsAgainstLoopbackRegistry(
            PrintWriter nowhere, List<Integer> codes, boolean layers, boolean streams, boolean tls) throws IOException {
        // What RegxCommand.run starts for these commands in a real run (it is bypassed here), and the TLS
        // context that any registry but a local one needs (the tour's own registry speaks plain HTTP).
        NetworkWarmUp.start(tls);
        if (tls) {
            NetworkWarmUp.tls();
            new NetworkWarmUp.KeyShares().run();
        }
        // `layers` never reads a layer: its tour stays out of tar and gzip, which would otherwise be in its
        // archive (and be loaded on every start on JDK 24+).
        byte[] layer = streams ? sampleLayer() : "not read".getBytes(StandardCharsets.UTF_8);
        try (CannedRegistry registry = CannedRegistry.start(layer)) {
            String image = registry.image();
            Map<String, String> env =
                    Map.of("DOCKER_CONFIG", "/nonexistent/regx-training", "HOME", "/nonexistent/regx-training");
            if (layers) {
                codes.add(RegxCommand.execute(env::get, OutputStream.nullOutputStream(), nowhere, "layers", image));
                codes.add(RegxCommand.execute(
                        env::get, OutputStream.nullOutputStream(), nowhere, "layers", "--json", image));
                // The commands that read only the registry's documents share the launcher's group with layers.
                for (String command : VIEWS) {
                    String argument = command.equals("tags") ? registry.repository() : image;
                    codes.add(
                            RegxCommand.execute(env::get, OutputStream.nullOutputStream(), nowhere, command, argument));
                }
            }
            if (streams) {
                streamCommands(image, env, nowhere, codes);
            }
        }
    }

    /** {@code ls} twice and {@code save}, which saves to a temporary directory that is removed again. */
    private static void streamCommands(String image, Map<String, String> env, PrintWriter nowhere, List<Integer> codes)
            throws IOException {
        Path saveTo =
                Files.createTempDirectory(SAVE_PREFIX + ProcessHandle.current().pid() + "-");
        try {
            codes.add(RegxCommand.execute(env::get, OutputStream.nullOutputStream(), nowhere, "ls", image, "0"));
            codes.add(RegxCommand.execute(env::get, OutputStream.nullOutputStream(), nowhere, "ls", "--json", image));
            codes.add(RegxCommand.execute(
                    env::get,
                    OutputStream.nullOutputStream(),
                    nowhere,
                    "save",
                    "-q",
                    "--progress=never",
                    image,
                    "0",
                    "-o",
                    saveTo + "/"));
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
     * that every registry but a local one needs; unarchived, they would be loaded from the jar by every HTTPS command.
     *
     * @return 0 when the exchange went through
     */
    static int httpsExchange() throws IOException, GeneralSecurityException {
        char[] password = "training".toCharArray();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X509Certificate certificate =
                SelfSignedCertificate.create(keys, "regx-training", now.minusSeconds(3600), now.plusSeconds(3600));
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

        try (ServerSocket socket =
                server.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread responder = new Thread(
                    () -> {
                        try (Socket connection = socket.accept()) {
                            connection.setSoTimeout(10_000);
                            if (CannedRegistry.readHead(connection.getInputStream()) == null) {
                                return;
                            }
                            connection
                                    .getOutputStream()
                                    .write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}"
                                            .getBytes(StandardCharsets.US_ASCII));
                        } catch (IOException ignored) {
                            // The client sees it.
                        }
                    },
                    "regx-training-tls");
            responder.setDaemon(true);
            responder.start();
            HttpsURLConnection connection =
                    (HttpsURLConnection) new URL("https://127.0.0.1:" + socket.getLocalPort() + "/v2/")
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
