package dev.regx.registry.auth;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge from a {@code WWW-Authenticate} header, e.g.
 * {@code Bearer realm="https://auth.docker.io/token",service="registry.docker.io"}.
 *
 * <p>The parser follows RFC 7235: a header may carry several challenges separated by commas, parameter
 * values may be tokens or quoted strings, and quoted strings may contain commas, equals signs and
 * backslash escapes. Splitting on commas, as many clients do, breaks on {@code scope="repository:a:pull,push"}.
 */
public final class AuthChallenge {
    private final String scheme;
    private final Map<String, String> parameters;

    public AuthChallenge(String scheme, Map<String, String> parameters) {
        this.scheme = scheme;
        this.parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** The scheme in lower case ({@code bearer}, {@code basic}). */
    public String scheme() {
        return scheme.toLowerCase(Locale.ROOT);
    }

    public boolean isBearer() {
        return scheme().equals("bearer");
    }

    public boolean isBasic() {
        return scheme().equals("basic");
    }

    /** A parameter by its name, case-insensitively. */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    public Map<String, String> parameters() {
        return parameters;
    }

    /** Parses every challenge in one header value; an unparseable tail is ignored rather than fatal. */
    public static List<AuthChallenge> parse(String header) {
        List<AuthChallenge> challenges = new ArrayList<>();
        if (header == null) {
            return challenges;
        }
        Parser p = new Parser(header);
        while (true) {
            p.skipSeparators();
            String scheme = p.token();
            if (scheme.isEmpty()) {
                break;
            }
            Map<String, String> params = new LinkedHashMap<>();
            p.skipSpaces();
            if (p.looksLikeToken68()) {
                // "Negotiate abc123==": a token68 credential blob, not parameters; we use none of those.
                p.skipToken68();
            }
            while (!p.atEnd()) {
                int mark = p.pos;
                String name = p.token();
                p.skipSpaces();
                if (name.isEmpty() || !p.consume('=')) {
                    // Not a parameter: either the next challenge's scheme or a token68 we do not use.
                    p.pos = mark;
                    break;
                }
                p.skipSpaces();
                String value = p.peek() == '"' ? p.quoted() : p.token();
                params.put(name.toLowerCase(Locale.ROOT), value);
                p.skipSpaces();
                if (!p.consume(',')) {
                    break;
                }
                p.skipSpaces();
            }
            challenges.add(new AuthChallenge(scheme, params));
        }
        return challenges;
    }

    @Override
    public String toString() {
        return scheme + " " + parameters;
    }

    /** A cursor over the header value. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        boolean atEnd() {
            return pos >= s.length();
        }

        char peek() {
            return atEnd() ? '\0' : s.charAt(pos);
        }

        boolean consume(char c) {
            if (peek() == c && !atEnd()) {
                pos++;
                return true;
            }
            return false;
        }

        void skipSpaces() {
            while (!atEnd() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
                pos++;
            }
        }

        void skipSeparators() {
            while (!atEnd() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t' || s.charAt(pos) == ',')) {
                pos++;
            }
        }

        /** An RFC 7230 token: visible characters except separators. */
        String token() {
            int start = pos;
            while (!atEnd() && isTokenChar(s.charAt(pos))) {
                pos++;
            }
            return s.substring(start, pos);
        }

        String quoted() {
            pos++; // opening quote
            StringBuilder value = new StringBuilder();
            while (!atEnd()) {
                char c = s.charAt(pos++);
                if (c == '\\' && !atEnd()) {
                    value.append(s.charAt(pos++));
                } else if (c == '"') {
                    return value.toString();
                } else {
                    value.append(c);
                }
            }
            return value.toString(); // unterminated: take what there is
        }

        /** Token68 ({@code 1*(ALPHA / DIGIT / "-._~+/") *"="}) up to the end or a comma, not {@code name=value}. */
        boolean looksLikeToken68() {
            int i = pos;
            int start = i;
            while (i < s.length() && (isTokenChar(s.charAt(i)) || s.charAt(i) == '/')) {
                i++;
            }
            if (i == start) {
                return false;
            }
            while (i < s.length() && s.charAt(i) == '=') {
                i++;
            }
            // "name=value" is a parameter: token68 is only followed by '=' padding, then the end or a comma.
            int j = i;
            while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
                j++;
            }
            return j >= s.length() || s.charAt(j) == ',';
        }

        void skipToken68() {
            while (!atEnd() && s.charAt(pos) != ',') {
                pos++;
            }
        }

        private static boolean isTokenChar(char c) {
            return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={} \t".indexOf(c) < 0;
        }
    }
}
