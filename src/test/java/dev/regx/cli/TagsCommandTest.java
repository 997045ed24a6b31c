package dev.regx.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.regx.testing.Fixtures;
import dev.regx.testing.PushedImage;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.SharedRegistry;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code regx tags} against the suite's registry (token auth), and against WireMock for Link pagination, which
 * distribution 2.8 does not do (it ignores {@code n} and {@code last} on tag lists).
 */
@RequiresRegistry
class TagsCommandTest {
    private static SharedRegistry shared;

    @TempDir
    Path home;

    private WireMockServer paged;

    @BeforeAll
    static void registry() {
        shared = SharedRegistry.get();
    }

    @BeforeEach
    void start() {
        paged = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        paged.start();
    }

    @AfterEach
    void stop() {
        paged.stop();
    }

    private CommandRun regx(String... args) {
        return CommandRun.run(home, args);
    }

    @Test
    void listsEveryTagOfARepositoryOnePerLine() {
        CommandRun run = regx("tags", shared.host() + "/" + Fixtures.MULTI_ARCH_REPOSITORY);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines()).containsExactlyInAnyOrder("latest", "manifest-list");
        assertThat(run.err()).isEmpty();
    }

    @Test
    void jsonIsAnArrayOfStrings() throws Exception {
        CommandRun run = regx("tags", "--json", shared.host() + "/" + Fixtures.MULTI_ARCH_REPOSITORY);

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<Object> tags = List.of(new ObjectMapper().readValue(run.out(), Object[].class));
        assertThat(tags).containsExactlyInAnyOrder("latest", "manifest-list");
    }

    @Test
    void aPrivateRepositoryNeedsCredentials() throws Exception {
        PushedImage secret = shared.fixtures().secret();
        String repository = shared.host() + "/" + Fixtures.SECRET_REPOSITORY;
        CommandRun anonymous = regx("tags", repository);
        assertThat(anonymous.exitCode()).isEqualTo(ExitCode.UNAUTHORIZED.code());
        assertThat(anonymous.errLines()).singleElement().asString().contains("docker login");

        AliceConfig.write(home, shared.host());
        CommandRun alice = regx("tags", repository);
        assertThat(alice.exitCode()).as(alice.toString()).isZero();
        assertThat(alice.out()).isEqualTo(secret.tag() + "\n");
    }

    @Test
    void aMissingRepositoryIsNotFound() {
        CommandRun run = regx("tags", shared.host() + "/no/such-repository");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.errLines()).singleElement().asString().contains("no/such-repository", "not found");
    }

    @Test
    void aTagOrDigestIsAUsageError() {
        CommandRun tagged = regx("tags", shared.host() + "/multi/arch:latest");
        assertThat(tagged.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(tagged.errLines())
                .singleElement()
                .asString()
                .contains("leave out the :latest", "regx tags " + shared.host() + "/multi/arch");
        assertThat(regx("tags", shared.host() + "/multi/arch@sha256:" + "0".repeat(64))
                        .exitCode())
                .isEqualTo(ExitCode.USAGE.code());
    }

    @Test
    void takesNoPlatformOption() {
        CommandRun run = regx("tags", "--platform", "linux/amd64", shared.host() + "/multi/arch");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
    }

    private String pagedRepository() {
        return "127.0.0.1:" + paged.port() + "/big/repo";
    }

    private void page(String last, String body, String link) {
        var request = get(urlPathEqualTo("/v2/big/repo/tags/list"));
        request = last == null
                ? request.withQueryParam("last", com.github.tomakehurst.wiremock.client.WireMock.absent())
                : request.withQueryParam("last", equalTo(last));
        var response = aResponse()
                .withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody(body);
        paged.stubFor(request.willReturn(link == null ? response : response.withHeader("Link", link)));
    }

    @Test
    void followsTheRegistrysLinkPagesInItsOrder() {
        page(
                null,
                "{\"name\":\"big/repo\",\"tags\":[\"v3\",\"v1\"]}",
                "</v2/big/repo/tags/list?n=2&last=v1>; rel=\"next\"");
        // An absolute link on the same origin is as good as a relative one.
        page(
                "v1",
                "{\"name\":\"big/repo\",\"tags\":[\"latest\",\"v2\"]}",
                "<http://127.0.0.1:" + paged.port() + "/v2/big/repo/tags/list?n=2&last=v2>; rel=\"next\"");
        page("v2", "{\"name\":\"big/repo\",\"tags\":[\"edge\"]}", null);

        CommandRun run = regx("tags", pagedRepository());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines()).containsExactly("v3", "v1", "latest", "v2", "edge");

        CommandRun json = regx("tags", "--json", pagedRepository());
        assertThat(json.out()).isEqualTo("[\"v3\",\"v1\",\"latest\",\"v2\",\"edge\"]\n");
    }

    @Test
    void aLinkToAnotherHostIsNotFollowed() {
        page(
                null,
                "{\"tags\":[\"a\"]}",
                "<http://127.0.0.2:" + paged.port() + "/v2/big/repo/tags/list?last=a>; rel=next");

        CommandRun run = regx("tags", pagedRepository());

        assertThat(run.exitCode()).isEqualTo(ExitCode.MALFORMED_RESPONSE.code());
        assertThat(run.errLines()).singleElement().asString().contains("another host");
        assertThat(paged.getAllServeEvents()).hasSize(1);
    }

    @Test
    void aLinkBackToAPageAlreadyReadStopsTheListing() {
        page(null, "{\"tags\":[\"a\"]}", "</v2/big/repo/tags/list?last=a>; rel=next");
        page("a", "{\"tags\":[\"b\"]}", "</v2/big/repo/tags/list?last=a>; rel=next");

        CommandRun run = regx("tags", pagedRepository());

        assertThat(run.exitCode()).isEqualTo(ExitCode.MALFORMED_RESPONSE.code());
        assertThat(run.errLines()).singleElement().asString().contains("already sent");
    }

    @Test
    void tagsAreEscapedInTextAndExactInJson() {
        page(null, "{\"tags\":[\"evil\\u001b[2Jtag\\nforged\"]}", null);

        CommandRun text = regx("tags", pagedRepository());
        assertThat(text.out()).doesNotContain("\u001b").hasLineCount(1);

        CommandRun json = regx("tags", "--json", pagedRepository());
        assertThat(json.out()).isEqualTo("[\"evil\\u001B[2Jtag\\nforged\"]\n");
    }

    @Test
    void aPageThatIsNotATagListIsMalformed() {
        page(null, "{\"tags\":{\"a\":1}}", null);

        CommandRun run = regx("tags", pagedRepository());

        assertThat(run.exitCode()).isEqualTo(ExitCode.MALFORMED_RESPONSE.code());
        assertThat(run.errLines()).singleElement().asString().contains("tag list of", "not a list");
    }

    @Test
    void aReaderThatLeftStopsTheListingBeforeTheNextPage() {
        StringBuilder many = new StringBuilder("{\"tags\":[");
        for (int i = 0; i < 30_000; i++) {
            many.append(i == 0 ? "\"" : ",\"").append("tag-").append(i).append('"');
        }
        page(null, many.append("]}").toString(), "</v2/big/repo/tags/list?last=tag-29999>; rel=next");
        page("tag-29999", "{\"tags\":[\"never\"]}", null);

        CommandRun run = CommandRun.run(home, FailingStdout.brokenPipeAfter(1000), "tags", pagedRepository());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OUTPUT_CLOSED.code());
        assertThat(run.err()).isEmpty();
        assertThat(paged.getAllServeEvents()).hasSize(1);
    }
}
