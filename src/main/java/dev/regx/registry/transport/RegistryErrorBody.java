package dev.regx.registry.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regx.registry.JsonDocument;
import dev.regx.registry.RegistryException;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The registry's error document ({@code {"errors":[{"code":"MANIFEST_UNKNOWN","message":"…"}]}}), read
 * from a failed response so messages can say what the registry said.
 */
public final class RegistryErrorBody {
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n\\t]+");

    private static final int LIMIT = 16 * 1024;

    private RegistryErrorBody() {}

    /**
     * Reads the body and gives {@code "CODE: message"} for the first error, or empty when the body is not
     * a registry error document. Reads at most 16 KiB; never throws.
     */
    public static Optional<String> read(HttpResponseStream response) {
        try {
            byte[] body = response.body().readNBytes(LIMIT);
            if (body.length == 0 || body[0] != '{') {
                return Optional.empty();
            }
            JsonNode errors = JsonDocument.parse(body, "error body").path("errors");
            if (errors.isArray() && errors.size() > 0) {
                JsonNode first = errors.get(0);
                String code = first.path("code").asText("");
                String message = first.path("message").asText("");
                String text = code.isEmpty() ? message : message.isEmpty() ? code : code + ": " + message;
                return text.isEmpty() ? Optional.empty() : Optional.of(oneLine(text));
            }
            return Optional.empty();
        } catch (IOException | RegistryException e) {
            return Optional.empty();
        }
    }

    /** {@code ", CODE: message"} for appending to a message, or empty string. */
    public static String summary(HttpResponseStream response) {
        Optional<String> summary = read(response);
        return summary.isPresent() ? ", " + summary.get() : "";
    }

    private static String oneLine(String s) {
        String flat = LINE_BREAKS.matcher(s).replaceAll(" ").strip();
        return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
    }
}
