package dev.regx.registry.transport;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code rel="next"} target of a response's {@code Link} headers (RFC 8288), which is how the
 * distribution API pages a tag list: {@code </v2/NAME/tags/list?n=100&last=v1.9>; rel="next"}.
 */
public final class LinkHeader {
    private LinkHeader() {}

    /** The URI reference of the first link whose relations include {@code next}, as written (unresolved). */
    public static Optional<String> next(List<String> values) {
        for (String value : values) {
            int at = 0;
            while (true) {
                int open = value.indexOf('<', at);
                if (open < 0) {
                    break;
                }
                int close = value.indexOf('>', open);
                if (close < 0) {
                    break;
                }
                // The parameters run to the next link of a comma-separated list (a URI in <> may hold commas).
                int nextLink = value.indexOf('<', close);
                String params = value.substring(close + 1, nextLink < 0 ? value.length() : nextLink);
                if (hasNextRelation(params)) {
                    return Optional.of(value.substring(open + 1, close).trim());
                }
                at = close + 1;
            }
        }
        return Optional.empty();
    }

    /** Whether {@code ; rel="next"} (or {@code rel=next}, or {@code rel="prev next"}) is among the parameters. */
    private static boolean hasNextRelation(String params) {
        for (String param : params.split(";")) {
            String p = param.trim();
            int eq = p.indexOf('=');
            if (eq < 0 || !p.substring(0, eq).trim().equalsIgnoreCase("rel")) {
                continue;
            }
            String rel = p.substring(eq + 1).trim();
            int comma = rel.indexOf(',');
            rel = comma >= 0 ? rel.substring(0, comma).trim() : rel;
            if (rel.length() >= 2 && rel.startsWith("\"") && rel.endsWith("\"")) {
                rel = rel.substring(1, rel.length() - 1);
            }
            for (String type : rel.toLowerCase(Locale.ROOT).split("\\s+")) {
                if (type.equals("next")) {
                    return true;
                }
            }
        }
        return false;
    }
}
