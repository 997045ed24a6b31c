package dev.regx.cli;

import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryClient;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.manifest.ManifestDocument;
import dev.regx.registry.manifest.ManifestResolver;
import dev.regx.registry.manifest.MediaTypes;
import dev.regx.registry.manifest.ResolvedImage;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import picocli.CommandLine;

/**
 * Extra work done only in the run that creates the class-data archive (AppCDS / AOT cache), i.e. when the
 * launcher ({@code src/main/launcher/regx.sh}) passes {@code -Dregx.cds.train=true}: after the user's real
 * command, walk the start-up path of every command quietly, so the archive also covers commands other than
 * the one that happened to run first (often {@code --version}).
 *
 * <p>Everything here must be safe offline and without side effects: no network, no files written, output
 * discarded. Add representative, side-effect-free start-up work here (e.g. parsing a small manifest) when
 * commands gain it. Failures are ignored: training only affects speed.
 */
final class Training {
    private Training() {
    }

    static boolean requested() {
        return Boolean.getBoolean("regx.cds.train");
    }

    static void run() {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        try {
            for (String[] args : List.of(new String[] {"--version"}, new String[] {"--help"})) {
                quiet(nowhere).execute(args);
            }
            for (String name : quiet(nowhere).getSubcommands().keySet()) {
                quiet(nowhere).execute(name, "--help");
            }
            parseAndPrintSampleImage(nowhere);
        } catch (RuntimeException | LinkageError ignored) {
            // Only the archive's coverage suffers.
        }
    }

    private static CommandLine quiet(PrintWriter nowhere) {
        return RegxCommand.commandLine().setOut(nowhere).setErr(nowhere);
    }

    /** The parsing and printing half of {@code regx layers}, on a built-in image: everything but the network. */
    private static void parseAndPrintSampleImage(PrintWriter nowhere) {
        String digest = "sha256:" + "0".repeat(64);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.DOCKER_MANIFEST + "\",\"config\":{\"mediaType\":"
                + "\"application/vnd.docker.container.image.v1+json\",\"digest\":\"" + digest + "\",\"size\":2},\"layers\":"
                + "[{\"mediaType\":\"application/vnd.docker.image.rootfs.diff.tar.gzip\",\"digest\":\"" + digest + "\",\"size\":1}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] config = ("{\"os\":\"linux\",\"architecture\":\"amd64\",\"rootfs\":{\"diff_ids\":[\"" + digest + "\"]},"
                + "\"history\":[{\"created_by\":\"ADD x /\"},{\"created_by\":\"CMD x\",\"empty_layer\":true}]}")
                .getBytes(StandardCharsets.UTF_8);
        ImageReference ref = ImageReference.parse("127.0.0.1:5000/sample/image:latest");
        ManifestResolver resolver = new ManifestResolver(new ManifestResolver.ManifestSource() {
            @Override
            public ManifestDocument manifest(ImageReference r, String reference) {
                return ManifestDocument.parse(manifest, MediaTypes.DOCKER_MANIFEST, "sample manifest");
            }

            @Override
            public byte[] blob(ImageReference r, Descriptor descriptor) {
                return config;
            }
        });
        ResolvedImage image = resolver.resolve(ref, Optional.empty());
        new LayersTable(false, OptionalInt.empty()).print(image, nowhere);
        try {
            LayersJson.write(image, nowhere);
        } catch (java.io.IOException ignored) {
            // A null writer does not fail.
        }
        RegistryClient.builder().build();
    }
}
