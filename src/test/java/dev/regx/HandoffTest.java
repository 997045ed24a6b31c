package dev.regx;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The buffers-round-two-threads hand-off: order, the end, the stop, failures each way, bounded memory. */
class HandoffTest {
    private record Item(StringBuilder buffer, int n) {}

    private static Handoff<StringBuilder, Item> handoff(int buffers) {
        List<StringBuilder> all = new ArrayList<>();
        for (int i = 0; i < buffers; i++) {
            all.add(new StringBuilder());
        }
        return new Handoff<>(all);
    }

    @Test
    void itemsArriveInOrderOnAnotherThreadWithBuffersGoingRoundAndNullAfterTheEnd() throws Exception {
        Handoff<StringBuilder, Item> h = handoff(2);
        CompletableFuture<List<Integer>> consumer = CompletableFuture.supplyAsync(() -> {
            List<Integer> seen = new ArrayList<>();
            try {
                for (Item item = h.take(); item != null; item = h.take()) {
                    seen.add(item.n());
                    h.giveBack(item.buffer());
                }
                assertThat(h.take()).as("still the end").isNull();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return seen;
        });

        for (int i = 0; i < 100; i++) {
            h.put(new Item(h.buffer(), i));
        }
        h.end();

        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            expected.add(i);
        }
        assertThat(consumer.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
        assertThat(h.failure()).isNull();
    }

    @Test
    void theProducerGetsNoBufferWhileAllAreHandedOverAndNotGivenBack() throws Exception {
        Handoff<StringBuilder, Item> h = handoff(2);
        StringBuilder first = h.buffer();
        h.put(new Item(first, 0));
        h.put(new Item(h.buffer(), 1));

        CompletableFuture<StringBuilder> third = CompletableFuture.supplyAsync(() -> {
            try {
                return h.buffer();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(third).as("waiting for a buffer").isNotDone();

        h.giveBack(h.take().buffer());
        assertThat(third.get(10, TimeUnit.SECONDS)).isSameAs(first);
    }

    @Test
    void aProducersFailureReachesTheConsumerAfterTheItemsBeforeIt() throws Exception {
        Handoff<StringBuilder, Item> h = handoff(2);
        IOException cut = new IOException("cut");
        h.put(new Item(h.buffer(), 7));
        h.end(cut);

        assertThat(h.take().n()).isEqualTo(7);
        assertThat(h.take()).isNull();
        assertThat(h.failure()).isSameAs(cut);
    }

    @Test
    void aConsumersFailureIsKeptForTheProducerAndTheFirstFailureStays() {
        Handoff<StringBuilder, Item> h = handoff(1);
        RuntimeException first = new IllegalStateException("first");

        h.fail(first);
        h.fail(new IllegalStateException("second"));
        h.end(new IOException("later"));

        assertThat(h.failure()).isSameAs(first);
    }

    @Test
    void stopWakesAProducerWaitingForABufferAndEveryLaterCallGetsNull() throws Exception {
        Handoff<StringBuilder, Item> h = handoff(1);
        h.put(new Item(h.buffer(), 0));
        CompletableFuture<StringBuilder> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return h.buffer();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);

        h.stop();

        assertThat(waiting.get(10, TimeUnit.SECONDS)).isNull();
        h.giveBack(new StringBuilder());
        assertThat(h.buffer()).isNull();
    }

    @Test
    void awaitIdleReturnsOnceTheConsumerHasGivenBackAllButTheProducersOwn() throws Exception {
        Handoff<StringBuilder, Item> h = handoff(3);
        StringBuilder own = h.buffer();
        h.put(new Item(h.buffer(), 1));
        CompletableFuture<Void> idle = CompletableFuture.runAsync(() -> {
            try {
                h.awaitIdle(1);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(100);
        assertThat(idle).as("one item not yet used").isNotDone();

        h.giveBack(h.take().buffer());

        idle.get(10, TimeUnit.SECONDS);
        assertThat(own).isNotNull();
    }
}
