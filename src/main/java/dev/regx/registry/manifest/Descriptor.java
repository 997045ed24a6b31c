package dev.regx.registry.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regx.registry.Digest;
import dev.regx.registry.RegistryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A content descriptor: what a manifest says about a blob or a child manifest (media type, digest, size,
 * and for index entries the platform).
 */
public record Descriptor(
        String mediaType,
        String digest,
        long size,
        List<String> urls,
        Platform platform,
        Map<String, String> annotations) {

    /** Reads a descriptor object, failing with {@code MALFORMED_RESPONSE} naming {@code where}. */
    static Descriptor read(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw malformed(where + " is not a descriptor object");
        }
        String digest = node.path("digest").asText("");
        if (!Digest.isWellFormed(digest)) {
            throw malformed(where + " has no valid digest");
        }
        if (!Digest.isVerifiable(digest)) {
            // The grammar above admits only [a-z0-9:=_.+-], so the digest is safe to quote.
            throw malformed(where + " names digest " + digest + ", which regx cannot verify (it checks sha256 and"
                    + " sha512 in lower-case hex); the registry's answer is unsupported");
        }
        JsonNode size = node.get("size");
        // An integer of JSON's own (not 1.5 or 1e3, which Jackson would truncate to a long) that fits in one.
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.asLong() < 0) {
            throw malformed(where + " has no valid size");
        }
        List<String> urls = new ArrayList<>();
        for (JsonNode url : node.path("urls")) {
            urls.add(url.asText());
        }
        Platform platform = null;
        JsonNode p = node.get("platform");
        if (p != null && p.isObject() && p.hasNonNull("os") && p.hasNonNull("architecture")) {
            platform = new Platform(
                    p.path("os").asText(),
                    p.path("architecture").asText(),
                    p.hasNonNull("variant") ? p.path("variant").asText() : null);
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> annotation : node.path("annotations").properties()) {
            annotations.put(annotation.getKey(), annotation.getValue().asText());
        }
        return new Descriptor(
                node.path("mediaType").asText(""),
                digest,
                size.asLong(),
                List.copyOf(urls),
                platform,
                Map.copyOf(annotations));
    }

    static RegistryException malformed(String message) {
        return new RegistryException(RegistryException.Kind.MALFORMED_RESPONSE, message);
    }
}
