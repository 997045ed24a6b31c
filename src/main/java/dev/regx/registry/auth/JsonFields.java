package dev.regx.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Field access that matches names the way Go's encoding/json does: exactly first, else ignoring case. */
final class JsonFields {
    private JsonFields() {}

    /** The field {@code name} of {@code object}, or null. */
    static JsonNode get(JsonNode object, String name) {
        JsonNode exact = object.get(name);
        if (exact != null) {
            return exact;
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (field.getKey().equalsIgnoreCase(name)) {
                return field.getValue();
            }
        }
        return null;
    }
}
