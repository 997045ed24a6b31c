package dev.regx.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a local registry with the fixtures until Ctrl-C: what {@code src/scripts/local-registry} starts, so a
 * newcomer without internet can try {@code regx} against something real, and benchmarks get a server.
 *
 * <pre>
 * --port N            registry port (default: a free one)
 * --no-auth           no authentication
 * --token-auth        token auth, anonymous pull of public repositories (the default)
 * --redirect          blob GET/HEAD answer 307 to a BlobRedirectServer (like Docker Hub's CDN)
 * --redirect-to URL   blob GET/HEAD answer 307 to URL + the storage path instead: a server of the caller's
 *                     (the benchmarks' nginx) serving the storage root printed on the "storage" line
 * --big-layer-mib N   also push bench/big:latest, one gzip layer of about N MiB
 * --layer-file FILE   also push bench/tree:latest, whose one layer is FILE (a .tar.gz) as it is
 * --ready-file PATH   write "HOST PORT" there once everything is pushed
 * </pre>
 */
public final class LocalRegistryMain {
    private LocalRegistryMain() {}

    public static void main(String[] args) throws Exception {
        int port = 0;
        boolean tokenAuth = true;
        boolean redirect = false;
        java.net.URI redirectTo = null;
        int bigMib = 0;
        Path layerFile = null;
        Path readyFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--no-auth" -> tokenAuth = false;
                case "--token-auth" -> tokenAuth = true;
                case "--redirect" -> redirect = true;
                case "--redirect-to" -> redirectTo = java.net.URI.create(value(args, ++i, "--redirect-to"));
                case "--big-layer-mib" -> bigMib = Integer.parseInt(value(args, ++i, "--big-layer-mib"));
                case "--layer-file" -> layerFile = Path.of(value(args, ++i, "--layer-file"));
                case "--ready-file" -> readyFile = Path.of(value(args, ++i, "--ready-file"));
                case "-h", "--help" -> {
                    System.out.println(
                            "usage: local-registry [--port N] [--no-auth|--token-auth] [--redirect]"
                                    + " [--redirect-to URL] [--big-layer-mib N] [--layer-file FILE.tar.gz] [--ready-file PATH]");
                    return;
                }
                default -> {
                    System.err.println("local-registry: unknown option " + args[i] + " (try --help)");
                    System.exit(2);
                }
            }
        }
        if (!LocalRegistry.isAvailable()) {
            System.err.println("local-registry: " + RequiresRegistryCondition.MISSING);
            System.exit(1);
        }

        TokenServer tokens = tokenAuth ? TokenServer.standard().start() : null;
        LocalRegistry.Builder builder = LocalRegistry.builder().port(port);
        if (tokens != null) {
            builder.tokenAuth(tokens);
        }
        if (redirectTo != null) {
            builder.redirectTo(redirectTo);
        } else if (redirect) {
            builder.blobRedirect();
        }
        long t0 = System.nanoTime();
        LocalRegistry registry = builder.start();
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            registry.close();
                            if (tokens != null) {
                                tokens.close();
                            }
                        },
                        "stop local registry"));
        long started = System.nanoTime();
        Fixtures.Set set = Fixtures.pushAll(registry);
        long pushed = System.nanoTime();

        String host = registry.host();
        System.out.printf(
                "registry   %s (%s%s), started in %d ms, fixtures pushed in %d ms%n",
                host,
                tokens != null ? "token auth, realm " + tokens.realm() : "no auth",
                redirectTo != null
                        ? ", blobs redirected to " + redirectTo
                        : redirect
                                ? ", blobs redirected to "
                                        + registry.blobRedirectServer()
                                                .orElseThrow()
                                                .baseUri()
                                : "",
                (started - t0) / 1_000_000,
                (pushed - started) / 1_000_000);
        System.out.printf("storage    %s%nlog        %s%n", registry.storageRoot(), registry.logFile());
        if (bigMib > 0) {
            Path file = Files.createTempFile("regx-big-layer", ".tar.gz");
            file.toFile().deleteOnExit();
            long g0 = System.nanoTime();
            BigLayer.Result big = BigLayer.generate(file, bigMib);
            long g1 = System.nanoTime();
            TestImage image = TestImage.docker()
                    .layer(big.layer(), "/bin/sh -c #(nop) ADD dir:generated-benchmark-data in /data ")
                    .emptyLayer("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]")
                    .build();
            PushedImage pushedBig = new RegistryPusher(registry).push("bench/big", "latest", image);
            Files.deleteIfExists(file);
            System.out.printf(
                    "big layer  %s: %d bytes (%d uncompressed), %d entries; generated in %d ms, pushed in %d ms%n",
                    pushedBig.reference(),
                    big.layer().size(),
                    big.layer().uncompressedSize(),
                    big.entryCount(),
                    (g1 - g0) / 1_000_000,
                    (System.nanoTime() - g1) / 1_000_000);
        }
        if (layerFile != null) {
            // A layer made by the caller (tar -cz of a real tree, for the extract benchmark), pushed as it is.
            long p0 = System.nanoTime();
            String diffId;
            long tarSize;
            try (java.io.InputStream tar =
                    new java.util.zip.GZIPInputStream(Files.newInputStream(layerFile), 1 << 16)) {
                java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                long n = 0;
                for (int r; (r = tar.read(buffer)) >= 0; ) {
                    md.update(buffer, 0, r);
                    n += r;
                }
                diffId = "sha256:" + java.util.HexFormat.of().formatHex(md.digest());
                tarSize = n;
            }
            Layer layer = new Layer(
                    Compression.GZIP,
                    Digests.sha256(layerFile),
                    Files.size(layerFile),
                    diffId,
                    tarSize,
                    java.util.List.of(),
                    null,
                    layerFile);
            PushedImage tree = new RegistryPusher(registry)
                    .push(
                            "bench/tree",
                            "latest",
                            TestImage.docker().layer(layer, "ADD tree /").build());
            System.out.printf(
                    "tree layer %s: %d bytes, pushed in %d ms%n",
                    tree.reference(), layer.size(), (System.nanoTime() - p0) / 1_000_000);
        }
        System.out.println();
        System.out.println("images:");
        for (PushedImage image : set.images()) {
            System.out.printf("  %-55s %s%n", image.reference(), image.digest());
        }
        System.out.printf(
                "  %-55s %s%n", set.multiArch().reference(), set.multiArch().digest());
        System.out.printf(
                "  %-55s %s%n",
                set.multiArchManifestList().reference(),
                set.multiArchManifestList().digest());
        if (tokens != null) {
            System.out.printf(
                    "%n%s is private: user %s, password %s (or identity token %s)%n",
                    Fixtures.SECRET_REPOSITORY, Fixtures.ALICE, Fixtures.ALICE_PASSWORD, Fixtures.ALICE_REFRESH_TOKEN);
        }
        System.out.println();
        // As the README's "Try it offline" shows them: from the repository's root, after mvn package.
        System.out.println("try (from the repository's root, in another terminal):");
        System.out.printf("  ./target/regx layers %s%n", set.composer().reference());
        System.out.printf("  ./target/regx ls %s 0%n", set.formats().reference());
        System.out.printf("  ./target/regx save %s 0%n", set.alpine().reference());
        System.out.printf(
                "  skopeo inspect --tls-verify=false docker://%s%n",
                set.composer().reference());
        System.out.println();
        System.out.println("Ctrl-C to stop.");
        System.out.flush();

        if (readyFile != null) {
            // Written whole then renamed, so a script polling for it never reads half a line.
            Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
            Files.writeString(tmp, "127.0.0.1 " + registry.port() + "\n");
            Files.move(tmp, readyFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        new CountDownLatch(1).await();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println("local-registry: " + option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
