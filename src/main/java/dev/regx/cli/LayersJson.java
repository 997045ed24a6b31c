package dev.regx.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.regx.registry.JsonDocument;
import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.manifest.ResolvedImage;
import java.io.IOException;
import java.io.PrintWriter;

/** The {@code regx layers --json} document. Its schema is documented in the README; change both together. */
final class LayersJson {
    private LayersJson() {}

    static void write(ResolvedImage image, PrintWriter out) throws IOException {
        try (JsonGenerator g = JsonDocument.factory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.useDefaultPrettyPrinter();
            g.writeStartObject();
            g.writeStringField("reference", image.reference().toString());
            g.writeStringField("registry", image.reference().registry());
            g.writeStringField("repository", image.reference().repository());
            g.writeStringField("tag", image.reference().effectiveTag().orElse(null));
            g.writeStringField("digest", image.manifestDigest());
            g.writeStringField("mediaType", image.mediaType());
            g.writeStringField("indexDigest", image.indexDigest().orElse(null));
            g.writeStringField(
                    "platform", image.platform().map(Object::toString).orElse(null));
            g.writeNumberField("totalSize", image.totalSize());
            g.writeArrayFieldStart("layers");
            for (ImageLayer layer : image.layers()) {
                g.writeStartObject();
                g.writeNumberField("index", layer.index());
                g.writeStringField("digest", layer.digest());
                g.writeNumberField("size", layer.size());
                g.writeStringField("mediaType", layer.mediaType());
                g.writeStringField("diffId", layer.diffId());
                g.writeStringField("createdBy", layer.createdBy().orElse(null));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        out.println();
    }
}
