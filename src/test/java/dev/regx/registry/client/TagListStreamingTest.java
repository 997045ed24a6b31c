package dev.regx.registry.client;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.regx.registry.ImageReference;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A repository of 10,000 tags in five pages of 2,000 (WireMock: distribution 2.8 does not page tag lists): every
 * tag arrives in order, and each page's tags are handed on before the next page is asked for.
 */
class TagListStreamingTest {
    private static final int PAGES = 5;
    private static final int PER_PAGE = 2000;

    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort());
        server.start();
        for (int page = 0; page < PAGES; page++) {
            StringBuilder body = new StringBuilder("{\"name\":\"big/repo\",\"tags\":[");
            for (int i = 0; i < PER_PAGE; i++) {
                body.append(i == 0 ? "" : ",")
                        .append('"')
                        .append(tag(page * PER_PAGE + i))
                        .append('"');
            }
            body.append("]}");
            var request = get(urlPathEqualTo("/v2/big/repo/tags/list"))
                    .withQueryParam("last", page == 0 ? absent() : equalTo(tag(page * PER_PAGE - 1)));
            var response = aResponse().withStatus(200).withBody(body.toString());
            if (page < PAGES - 1) {
                response = response.withHeader(
                        "Link",
                        "</v2/big/repo/tags/list?n=" + PER_PAGE + "&last=" + tag((page + 1) * PER_PAGE - 1)
                                + ">; rel=\"next\"");
            }
            server.stubFor(request.willReturn(response));
        }
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static String tag(int i) {
        return "t" + i;
    }

    @Test
    void eachPagesTagsArriveBeforeTheNextPageIsRequested() {
        RegistryClient client = RegistryClient.builder().build();
        List<String> tags = new ArrayList<>();
        List<Integer> requestsSeenAtEachPagesFirstTag = new ArrayList<>();

        client.tags(ImageReference.parse("127.0.0.1:" + server.port() + "/big/repo"), tag -> {
            if (tags.size() % PER_PAGE == 0) {
                requestsSeenAtEachPagesFirstTag.add(server.getAllServeEvents().size());
            }
            tags.add(tag);
        });

        assertThat(tags).hasSize(PAGES * PER_PAGE);
        for (int i = 0; i < tags.size(); i++) {
            assertThat(tags.get(i)).isEqualTo(tag(i));
        }
        assertThat(requestsSeenAtEachPagesFirstTag).containsExactly(1, 2, 3, 4, 5);
    }
}
