package dev.regx.registry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Reads the small JSON documents regx meets (manifests, configs, token answers, Docker's config.json) into
 * Jackson's tree, and hands out the factory for writing JSON.
 *
 * <p>The tree is built from jackson-core's streaming parser rather than by {@code ObjectMapper.readTree}:
 * setting up an {@code ObjectMapper} loads some 400 classes and costs a cold JVM hundreds of milliseconds,
 * more than the whole network exchange with a local registry, while the streaming parser and the node
 * classes load in a fraction of that. regx is started once per image in CI loops; that difference is paid
 * on every call.
 */
public final class JsonDocument {
    private static final JsonFactory FACTORY = new JsonFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonDocument() {}

    /** The factory for parsers and generators (writing {@code --json} output). */
    public static JsonFactory factory() {
        return FACTORY;
    }

    /**
     * Parses {@code bytes}, or throws {@link RegistryException.Kind#MALFORMED_RESPONSE} naming {@code what}
     * (e.g. "manifest of docker.io/library/alpine:latest").
     */
    public static JsonNode parse(byte[] bytes, String what) {
        try {
            JsonNode node = readTree(bytes);
            if (node.isMissingNode()) {
                throw new RegistryException(RegistryException.Kind.MALFORMED_RESPONSE, what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new RegistryException(
                    RegistryException.Kind.MALFORMED_RESPONSE, what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RegistryException(
                    RegistryException.Kind.MALFORMED_RESPONSE, what + " could not be read: " + e.getMessage());
        }
    }

    /**
     * Parses one JSON value into a tree; empty input gives {@link MissingNode}. Content after the value is
     * an error, as are documents nested deeper than the parser's limit.
     */
    public static JsonNode readTree(byte[] bytes) throws IOException {
        try (JsonParser p = FACTORY.createParser(bytes)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                return MissingNode.getInstance();
            }
            JsonNode value = value(p, first);
            if (p.nextToken() != null) {
                throw new JsonParseException(p, "unexpected content after the JSON value");
            }
            return value;
        }
    }

    private static JsonNode value(JsonParser p, JsonToken token) throws IOException {
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    object.set(name, value(p, p.nextToken()));
                }
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(value(p, t));
                }
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                throw new JsonParseException(p, "unexpected " + token);
        }
    }
}
