package dev.regx.registry.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ChunkWindowTest {
    @Test
    void aConnectionWaitsForTheReaderOnceTheWindowHoldsAsManyChunksAsItHasSlots() throws Exception {
        ChunkWindow window = new ChunkWindow(10, 4, 3);
        assertThat(window.claim()).isZero();
        assertThat(window.claim()).isEqualTo(1);
        assertThat(window.claim()).isEqualTo(2);

        CompletableFuture<Integer> fourth = CompletableFuture.supplyAsync(() -> {
            try {
                return window.claim();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> fourth.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);

        window.fill(0, 4);
        assertThat(window.awaitHead(0)).isEqualTo(4);
        window.advance();

        assertThat(fourth.get(5, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void theReaderGetsTheHeadChunkAsItArrivesWhateverLaterChunksHaveDone() throws Exception {
        ChunkWindow window = new ChunkWindow(3, 4, 3);
        for (int i = 0; i < 3; i++) {
            window.claim();
        }
        window.buffer(2)[0] = 'c';
        window.fill(2, 4);
        window.buffer(0)[0] = 'a';
        window.fill(0, 1);

        assertThat(window.awaitHead(0)).isEqualTo(1);
        assertThat(window.headBuffer()[0]).isEqualTo((byte) 'a');
        window.fill(0, 3);
        assertThat(window.awaitHead(1)).isEqualTo(4);
    }

    @Test
    void aFailedChunkReachesTheReaderOnlyAfterTheBytesBeforeItAndStopsFurtherClaims() throws Exception {
        ChunkWindow window = new ChunkWindow(5, 4, 3);
        window.claim();
        window.claim();
        window.fill(0, 4);
        window.fill(1, 2);
        window.fail(1, new IllegalStateException("chunk 1 gave up"));

        assertThat(window.claim()).isEqualTo(-1);
        assertThat(window.awaitHead(0)).isEqualTo(4);
        window.advance();
        assertThat(window.awaitHead(0)).isEqualTo(2);
        assertThatThrownBy(() -> window.awaitHead(2)).hasMessage("chunk 1 gave up");
    }

    @Test
    void aSlotFreedByTheReaderHoldsNoStaleBytesForItsNextChunk() throws Exception {
        ChunkWindow window = new ChunkWindow(4, 4, 2);
        window.claim();
        window.claim();
        window.fill(0, 4);
        window.fill(1, 4);
        window.awaitHead(0);
        window.advance(); // slot 0 free for chunk 2, not yet claimed
        window.awaitHead(0);
        window.advance(); // the reader is on chunk 2 now

        CompletableFuture<Integer> read = CompletableFuture.supplyAsync(() -> {
            try {
                return window.awaitHead(0);
            } catch (java.io.InterruptedIOException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThatThrownBy(() -> read.get(200, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        assertThat(window.claim()).isEqualTo(2);
        window.fill(2, 3);
        assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(3);
    }

    @Test
    void closingTheWindowReleasesAConnectionWaitingForASlot() throws Exception {
        ChunkWindow window = new ChunkWindow(10, 4, 1);
        window.claim();
        CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return window.claim();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        window.close();

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isEqualTo(-1);
        assertThat(window.isClosed()).isTrue();
    }
}
