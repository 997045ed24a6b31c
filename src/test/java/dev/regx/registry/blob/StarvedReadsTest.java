package dev.regx.registry.blob;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StarvedReadsTest {
    private static final int ASK = 256 << 10;

    @Test
    void readsThatGetALittleOfWhatTheyAskForInARowShowASlowLink() {
        StarvedReads reads = new StarvedReads(3);

        assertThat(reads.slowLink(ASK, 16 << 10)).isFalse();
        assertThat(reads.slowLink(ASK, 4 << 10)).isFalse();
        assertThat(reads.slowLink(ASK, ASK / 4 - 1)).isTrue();
    }

    @Test
    void aReadThatGetsAQuarterOrMoreStartsTheCountOver() {
        StarvedReads reads = new StarvedReads(3);
        reads.slowLink(ASK, 1);
        reads.slowLink(ASK, 1);

        assertThat(reads.slowLink(ASK, ASK / 4)).isFalse();
        assertThat(reads.slowLink(ASK, 1)).isFalse();
        assertThat(reads.slowLink(ASK, 1)).isFalse();
        assertThat(reads.slowLink(ASK, 1)).isTrue();
    }

    @Test
    void smallAsksAndTheEndOfTheStreamNeitherCountNorReset() {
        StarvedReads reads = new StarvedReads(2);
        reads.slowLink(ASK, 1);

        assertThat(reads.slowLink(StarvedReads.MIN_ASK - 1, 0)).isFalse();
        assertThat(reads.slowLink(StarvedReads.MIN_ASK - 1, StarvedReads.MIN_ASK - 1))
                .isFalse();
        assertThat(reads.slowLink(ASK, -1)).isFalse();
        assertThat(reads.slowLink(ASK, 1)).isTrue();
    }

    @Test
    void fullReadsNeverShowASlowLink() {
        StarvedReads reads = new StarvedReads(1);
        for (int i = 0; i < 100; i++) {
            assertThat(reads.slowLink(ASK, ASK)).isFalse();
        }
    }
}
