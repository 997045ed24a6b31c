package dev.regx.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Parses the small JSON documents a registry sends (manifests, configs, token answers) into a tree.
 * One mapper for the process, created on first use: building one is the costliest step of Jackson's
 * start-up, and a command that fails on its arguments should not pay for it.
 */
public final class JsonDocument {
    private JsonDocument() {
    }

    private static final class Holder {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }

    /**
     * Parses {@code bytes}, or throws {@link RegistryException.Kind#MALFORMED_RESPONSE} naming {@code what}
     * (e.g. "manifest of docker.io/library/alpine:latest").
     */
    public static JsonNode parse(byte[] bytes, String what) {
        try {
            JsonNode node = Holder.MAPPER.readTree(bytes);
            if (node == null || node.isMissingNode()) {
                throw new RegistryException(RegistryException.Kind.MALFORMED_RESPONSE, what + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED_RESPONSE,
                    what + " is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RegistryException(RegistryException.Kind.MALFORMED_RESPONSE, what + " could not be read: " + e.getMessage());
        }
    }
}
