package dev.regx.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthChallengeTest {

    @Test
    void parsesDockerHubsBearerChallenge() {
        List<AuthChallenge> c =
                AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:smoshysmosh/composer:pull\"");
        assertThat(c).hasSize(1);
        assertThat(c.get(0).isBearer()).isTrue();
        assertThat(c.get(0).parameter("realm")).contains("https://auth.docker.io/token");
        assertThat(c.get(0).parameter("service")).contains("registry.docker.io");
        assertThat(c.get(0).parameter("scope")).contains("repository:smoshysmosh/composer:pull");
    }

    @Test
    void keepsCommasAndEqualsInsideQuotedValues() {
        List<AuthChallenge> c = AuthChallenge.parse(
                "Bearer realm=\"https://a/token?x=1\",scope=\"repository:a/b:pull,push repository:c:pull\"");
        assertThat(c).hasSize(1);
        assertThat(c.get(0).parameter("realm")).contains("https://a/token?x=1");
        assertThat(c.get(0).parameter("scope")).contains("repository:a/b:pull,push repository:c:pull");
    }

    @Test
    void unescapesBackslashesInQuotedStrings() {
        AuthChallenge c =
                AuthChallenge.parse("Basic realm=\"say \\\"hi\\\" \\\\ there\"").get(0);
        assertThat(c.parameter("realm")).contains("say \"hi\" \\ there");
    }

    @Test
    void splitsSeveralChallengesInOneHeader() {
        List<AuthChallenge> c = AuthChallenge.parse(
                "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"");
        assertThat(c).extracting(AuthChallenge::scheme).containsExactly("newauth", "basic");
        assertThat(c.get(0).parameter("type")).contains("1");
        assertThat(c.get(0).parameter("title")).contains("Login to \"apps\"");
        assertThat(c.get(1).parameter("realm")).contains("simple");
    }

    @Test
    void schemeAndParameterNamesAreCaseInsensitiveAndSpacingIsTolerated() {
        AuthChallenge c = AuthChallenge.parse("  bEaReR   Realm = \"https://r/t\" ,  SERVICE=reg  ")
                .get(0);
        assertThat(c.isBearer()).isTrue();
        assertThat(c.parameter("realm")).contains("https://r/t");
        assertThat(c.parameter("service")).contains("reg");
    }

    @Test
    void toleratesToken68AndUnterminatedQuotes() {
        List<AuthChallenge> c = AuthChallenge.parse("Negotiate abc123==, Bearer realm=\"https://x/t");
        assertThat(c).extracting(AuthChallenge::scheme).containsExactly("negotiate", "bearer");
        assertThat(c.get(1).parameter("realm")).contains("https://x/t");
    }

    @Test
    void emptyOrMissingHeaderHasNoChallenges() {
        assertThat(AuthChallenge.parse(null)).isEmpty();
        assertThat(AuthChallenge.parse("  ")).isEmpty();
    }
}
