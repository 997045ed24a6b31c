package dev.regx.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.regx.registry.JsonDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * {@code --pretty}: a JSON document indented for reading, its members in the order they came. Copied token by
 * token with jackson-core, not through a tree and an {@code ObjectMapper} (see {@link JsonDocument} for why).
 * The bytes printed are no longer those the digest names: without {@code --pretty} they are.
 */
final class PrettyJson {
    private PrettyJson() {}

    /** @param what what the document is, for the message when it is not JSON (a config may be any blob) */
    static void write(byte[] json, String what, PrintWriter out) throws IOException {
        // Whole before any of it is printed: a document that turns out not to be JSON halfway prints nothing.
        StringWriter pretty = new StringWriter(json.length * 2);
        try (JsonParser p = JsonDocument.factory().createParser(json);
                JsonGenerator g = JsonDocument.factory().createGenerator(pretty)) {
            g.useDefaultPrettyPrinter();
            JsonToken first = p.nextToken();
            if (first == null) {
                throw notJson(what, "it is empty");
            }
            g.copyCurrentStructure(p);
            if (p.nextToken() != null) {
                throw notJson(what, "there is more after the JSON value");
            }
        } catch (JsonProcessingException e) {
            throw notJson(what, e.getOriginalMessage());
        }
        out.println(pretty);
    }

    private static CommandFailure notJson(String what, String why) {
        return new CommandFailure(
                ExitCode.MALFORMED_RESPONSE, what + " is not JSON (" + why + "); print it without --pretty");
    }
}
