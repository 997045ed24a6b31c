package dev.regx.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Fuzzes {@link AuthChallenge#parse}, which reads every registry's {@code WWW-Authenticate} header: it never throws
 * (a header regx cannot read leaves it without a challenge to answer, which the caller reports), ends, and gives
 * only schemes and parameter names that are RFC 7230 tokens.
 */
class AuthChallengeFuzzTest {

    @FuzzTest
    void readsAnyHeaderIntoTokenNamedChallenges(byte[] value) {
        // As HttpURLConnection hands header values over: each byte one char (ISO-8859-1).
        String header = new String(value, StandardCharsets.ISO_8859_1);
        List<AuthChallenge> challenges = AuthChallenge.parse(header);
        for (AuthChallenge c : challenges) {
            assertThat(c.scheme()).matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
            for (String name : c.parameters().keySet()) {
                assertThat(name).matches("[!#$%&'*+.^_`|~0-9a-z-]+");
                assertThat(c.parameter(name.toUpperCase(Locale.ROOT)))
                        .contains(c.parameters().get(name));
            }
        }
    }
}
