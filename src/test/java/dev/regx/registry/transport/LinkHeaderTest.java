package dev.regx.registry.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinkHeaderTest {
    @Test
    void readsTheNextLinkAsDistributionWritesIt() {
        assertThat(LinkHeader.next(List.of("</v2/foo/tags/list?n=100&last=v1.9>; rel=\"next\"")))
                .contains("/v2/foo/tags/list?n=100&last=v1.9");
    }

    @Test
    void findsNextAmongOtherLinksAndRelationsWhateverItsCaseAndQuoting() {
        assertThat(LinkHeader.next(List.of("</a>; rel=\"prev\", </b?x=1,2>; title=\"t\"; REL=next")))
                .contains("/b?x=1,2");
        assertThat(LinkHeader.next(List.of("</a>; rel=prev", "<https://r.example/c>; rel=\"last next\"")))
                .contains("https://r.example/c");
    }

    @Test
    void noNextRelationIsNoNextPage() {
        assertThat(LinkHeader.next(List.of())).isEmpty();
        assertThat(LinkHeader.next(List.of("</a>; rel=\"prev\""))).isEmpty();
        assertThat(LinkHeader.next(List.of("</a>; rel=\"nextish\""))).isEmpty();
        assertThat(LinkHeader.next(List.of("rel=\"next\""))).isEmpty();
    }
}
