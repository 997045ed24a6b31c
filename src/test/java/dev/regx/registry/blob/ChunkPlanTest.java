package dev.regx.registry.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ChunkPlanTest {
    @Test
    void chunksCoverTheRangeEndToEndWithAShorterLastOne() {
        ChunkPlan plan = new ChunkPlan(100, 1100, 300);

        assertThat(plan.count()).isEqualTo(4);
        assertThat(plan.first(0)).isEqualTo(100);
        assertThat(plan.last(0)).isEqualTo(399);
        assertThat(plan.first(1)).isEqualTo(400);
        assertThat(plan.last(3)).isEqualTo(1099);
        assertThat(plan.length(3)).isEqualTo(100);
        long covered = 0;
        for (int i = 0; i < plan.count(); i++) {
            covered += plan.length(i);
        }
        assertThat(covered).isEqualTo(1000);
    }

    @Test
    void aRangeThatIsAWholeNumberOfChunksHasNoEmptyLastChunk() {
        ChunkPlan plan = new ChunkPlan(0, 900, 300);

        assertThat(plan.count()).isEqualTo(3);
        assertThat(plan.length(2)).isEqualTo(300);
    }

    @Test
    void chunkOffsetsPastTwoGibibytesDoNotOverflow() {
        ChunkPlan plan = new ChunkPlan(0, 5L << 30, 8 << 20);

        assertThat(plan.count()).isEqualTo(640);
        assertThat(plan.last(639)).isEqualTo((5L << 30) - 1);
    }

    @Test
    void nothingToFetchIsNoPlan() {
        assertThatThrownBy(() -> new ChunkPlan(10, 10, 300)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parallelFetchIsWorthItOnlyAboveItsThresholdAndOneChunk() {
        ParallelFetch four = new ParallelFetch(4, 1000, 2000);

        assertThat(four.worthIt(1999)).isFalse();
        assertThat(four.worthIt(2000)).isTrue();
        assertThat(new ParallelFetch(4, 1000, 0).worthIt(1000)).isFalse();
        assertThat(ParallelFetch.OFF.worthIt(Long.MAX_VALUE)).isFalse();
    }
}
