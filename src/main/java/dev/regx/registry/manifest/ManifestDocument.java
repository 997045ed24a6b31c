package dev.regx.registry.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regx.registry.Digest;
import dev.regx.registry.JsonDocument;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest exactly as the registry sent it (its bytes define its digest), with its media type decided
 * and its descriptors read: an image manifest has a config and layers, an index has child manifests.
 */
public record ManifestDocument(
        String mediaType,
        Digest digest,
        byte[] bytes,
        Descriptor config,
        List<Descriptor> layers,
        List<Descriptor> manifests) {

    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }

    /**
     * Parses a manifest. The media type comes from the document's own {@code mediaType} field, then the
     * {@code Content-Type} header, then its shape (OCI allows omitting the field).
     */
    public static ManifestDocument parse(byte[] bytes, String contentType, String what) {
        JsonNode root = JsonDocument.parse(bytes, what);
        if (!root.isObject()) {
            throw Descriptor.malformed(what + " is not a JSON object");
        }
        String mediaType = root.path("mediaType").asText("");
        if (mediaType.isEmpty() && contentType != null) {
            mediaType = contentType.split(";")[0].trim();
        }
        if (!MediaTypes.isIndex(mediaType) && !MediaTypes.isImageManifest(mediaType)) {
            if (root.has("manifests")) {
                mediaType = MediaTypes.OCI_INDEX;
            } else if (root.has("layers") && root.has("config")) {
                mediaType = MediaTypes.OCI_MANIFEST;
            } else if (MediaTypes.isSchema1(mediaType)
                    || root.path("schemaVersion").asInt() == 1) {
                throw Descriptor.malformed(what + " is a Docker schema 1 manifest, which regx does not read "
                        + "(it was deprecated in 2017; push the image again with a current tool)");
            } else {
                throw Descriptor.malformed(what + " has unsupported media type \"" + mediaType + "\"");
            }
        }
        Digest digest = Digest.sha256(bytes);
        if (MediaTypes.isIndex(mediaType)) {
            List<Descriptor> manifests = new ArrayList<>();
            JsonNode list = root.path("manifests");
            if (!list.isArray()) {
                throw Descriptor.malformed(what + " is an index without a \"manifests\" list");
            }
            for (int i = 0; i < list.size(); i++) {
                manifests.add(Descriptor.read(list.get(i), what + " entry " + i));
            }
            return new ManifestDocument(mediaType, digest, bytes, null, List.of(), List.copyOf(manifests));
        }
        Descriptor config = Descriptor.read(root.get("config"), what + " config");
        List<Descriptor> layers = new ArrayList<>();
        JsonNode list = root.path("layers");
        if (!list.isArray()) {
            throw Descriptor.malformed(what + " has no \"layers\" list");
        }
        for (int i = 0; i < list.size(); i++) {
            layers.add(Descriptor.read(list.get(i), what + " layer " + i));
        }
        return new ManifestDocument(mediaType, digest, bytes, config, List.copyOf(layers), List.of());
    }
}
