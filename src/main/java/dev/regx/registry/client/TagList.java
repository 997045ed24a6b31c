package dev.regx.registry.client;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.regx.registry.ImageReference;
import dev.regx.registry.JsonDocument;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.transport.HttpResponseStream;
import dev.regx.registry.transport.LinkHeader;
import dev.regx.registry.transport.NetworkFailureText;
import dev.regx.registry.transport.Redaction;
import dev.regx.registry.transport.ResponseFailure;
import java.io.IOException;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A repository's tags ({@code GET /v2/NAME/tags/list}), page after page as the registry's {@code Link} headers
 * lead, each tag handed on as the parser meets it: a repository of 10,000 tags is never held in memory, and the
 * first page is printed while the next is on its way.
 */
final class TagList {
    private final RegistryTransport transport;
    private final ImageReference repository;
    private final String scope;

    TagList(RegistryTransport transport, ImageReference repository, String scope) {
        this.transport = transport;
        this.repository = repository;
        this.scope = scope;
    }

    /** Hands every tag to {@code tags}, in the registry's order. */
    void forEach(Consumer<String> tags) {
        String what = "tag list of " + repository.registry() + "/" + repository.repository();
        URI page = null;
        // The pages seen: a registry whose Link leads back to a page it served would otherwise be followed forever.
        Set<URI> seen = new HashSet<>();
        while (true) {
            HttpResponseStream response = page == null
                    ? transport.send("GET", "v2/" + repository.repository() + "/tags/list", scope, ACCEPT)
                    : transport.send("GET", page, scope, ACCEPT);
            Optional<String> next;
            try (response) {
                if (!response.isSuccess()) {
                    throw ResponseFailure.of(response, what, CHECK_THE_REPOSITORY);
                }
                seen.add(response.uri());
                read(response, what, tags);
                next = LinkHeader.next(response.headers("Link"));
            } catch (JsonProcessingException e) {
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE, what + " is not valid JSON: " + e.getOriginalMessage());
            } catch (IOException e) {
                throw new RegistryException(
                        Kind.NETWORK, "reading " + what + " failed: " + NetworkFailureText.of(e), e);
            }
            if (next.isEmpty()) {
                return;
            }
            page = nextPage(response.uri(), next.get(), what);
            if (seen.contains(page)) {
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE,
                        what + ": the registry's Link header leads back to a page it already sent ("
                                + Redaction.uri(page) + ")");
            }
        }
    }

    private static final Map<String, String> ACCEPT = Map.of("Accept", "application/json");

    private static final String CHECK_THE_REPOSITORY = "; check the repository name";

    /**
     * The next page's URI, relative links resolved against the page that named it. It must be on the registry's
     * own origin: the request carries the registry's token, and a tag list has no business elsewhere.
     */
    private URI nextPage(URI current, String link, String what) {
        URI next;
        try {
            next = current.resolve(link);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(
                    Kind.MALFORMED_RESPONSE, what + ": the registry's Link header names no valid URL");
        }
        if (!transport.isRegistryOrigin(next)) {
            throw new RegistryException(
                    Kind.MALFORMED_RESPONSE,
                    what + ": the registry's Link header leads to another host (" + Redaction.uri(next)
                            + "), where regx does not follow it");
        }
        return next;
    }

    /** Reads one page, {@code {"name": "…", "tags": ["…", …]}}, handing on each tag as it is parsed. */
    private static void read(HttpResponseStream response, String what, Consumer<String> tags) throws IOException {
        try (JsonParser p = JsonDocument.factory().createParser(response.body())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw malformed(what, "the answer is not a JSON object");
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                token = p.nextToken();
                if (!field.equals("tags")) {
                    p.skipChildren();
                } else if (token == JsonToken.START_ARRAY) {
                    while ((token = p.nextToken()) == JsonToken.VALUE_STRING) {
                        tags.accept(p.getText());
                    }
                    if (token != JsonToken.END_ARRAY) {
                        throw malformed(what, "\"tags\" holds something other than strings");
                    }
                } else if (token != JsonToken.VALUE_NULL) {
                    throw malformed(what, "\"tags\" is not a list");
                }
            }
            if (token != JsonToken.END_OBJECT) {
                throw malformed(what, "the answer ends early");
            }
        }
    }

    private static RegistryException malformed(String what, String why) {
        return new RegistryException(Kind.MALFORMED_RESPONSE, what + " is malformed: " + why);
    }
}
