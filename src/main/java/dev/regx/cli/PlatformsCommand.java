package dev.regx.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.regx.layer.SafeText;
import dev.regx.registry.ImageReference;
import dev.regx.registry.JsonDocument;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.manifest.ImageConfig;
import dev.regx.registry.manifest.ManifestDocument;
import dev.regx.registry.manifest.PlatformSelector;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code regx platforms IMAGE}: the manifests of an index, one line each. */
public final class PlatformsCommand implements Callable<Integer> {
    /** BuildKit names the image an attestation is about in this annotation of its index entry. */
    private static final String ATTESTED_DIGEST = "vnd.docker.reference.digest";

    final CommandSpec spec = CommandSpecs.command(
            this,
            "platforms",
            "List the manifests of a multi-platform image: platform, digest, size (bytes) and, for attestation"
                    + " manifests (provenance, SBOM), 'attestation'.",
            "A single-platform image prints its one platform, from its config.");
    private final RegistryOptions registry;
    private final Stdout stdout;
    private final PositionalParamSpec image = CommandSpecs.image(spec, "alpine:3.19");
    private final OptionSpec json = CommandSpecs.flag(
            spec,
            "Print a JSON array, one object per manifest: platform, digest, mediaType, size, attestation, attests.",
            "--json");

    PlatformsCommand(Function<String, String> env, Stdout stdout) {
        registry = RegistryOptions.with(spec, env);
        // No --platform or --allow-foreign-urls: this lists the platforms, and reads no layer.
        this.stdout = stdout;
        CommandSpecs.examples(spec, "  regx platforms alpine:3.19", "  regx platforms --json ghcr.io/org/img:1");
    }

    /** One manifest of the image: its platform as written ("-" when the entry names none). */
    private record Row(
            String platform, String digest, String mediaType, long size, String attests, boolean attestation) {}

    @Override
    public Integer call() throws IOException {
        ImageReference ref = registry.reference(image.getValue());
        RegistryClient client = registry.client(ref);
        ManifestDocument top = client.named(ref);
        List<Row> rows = top.isIndex() ? entries(top) : List.of(single(client, ref, top));
        PrintWriter out = stdout.text();
        if (CommandSpecs.isSet(json)) {
            writeJson(rows, out);
        } else {
            int width = 0;
            for (Row row : rows) {
                width = Math.max(width, SafeText.escape(row.platform).length());
            }
            for (Row row : rows) {
                String platform = SafeText.escape(row.platform);
                out.println(platform + " ".repeat(width - platform.length()) + "  " + row.digest + "  " + row.size
                        + (row.attestation ? "  attestation" : ""));
            }
        }
        return ExitCode.OK.code();
    }

    private static List<Row> entries(ManifestDocument index) {
        List<Row> rows = new ArrayList<>();
        for (Descriptor d : index.manifests()) { // a loop, not a stream: streams load ~25 classes on a cold start
            rows.add(new Row(
                    d.platform() == null ? "-" : d.platform().toString(),
                    d.digest(),
                    d.mediaType(),
                    d.size(),
                    d.annotations().get(ATTESTED_DIGEST),
                    PlatformSelector.isAttestation(d)));
        }
        return rows;
    }

    /** The image itself: its platform is its config's. */
    private static Row single(RegistryClient client, ImageReference ref, ManifestDocument manifest) {
        Descriptor config = manifest.config();
        ImageConfig parsed = ImageConfig.parse(client.blob(ref, config), "config of " + ref);
        return new Row(
                parsed.platformIfAny().map(Object::toString).orElse("-"),
                manifest.digest().toString(),
                manifest.mediaType(),
                manifest.bytes().length,
                null,
                false);
    }

    private static void writeJson(List<Row> rows, PrintWriter out) throws IOException {
        try (JsonGenerator g = JsonDocument.factory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartArray();
            for (Row row : rows) {
                g.writeStartObject();
                g.writeStringField("platform", row.platform.equals("-") ? null : row.platform);
                g.writeStringField("digest", row.digest);
                g.writeStringField("mediaType", row.mediaType);
                g.writeNumberField("size", row.size);
                g.writeBooleanField("attestation", row.attestation);
                g.writeStringField("attests", row.attests);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        out.println();
    }
}
