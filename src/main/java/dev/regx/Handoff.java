package dev.regx;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of buffers going round between two threads: the producer takes a free buffer ({@link #buffer}),
 * fills it and hands it over ({@link #put}); the consumer takes what was handed over ({@link #take}), in order,
 * uses it and gives the buffer back ({@link #giveBack}). Memory stays what the buffers are, and neither side
 * gets more than their number ahead of the other.
 *
 * <p>Either side can stop the other: the producer with {@link #end()} (the consumer's {@code take} then returns
 * null after what was handed over before), or with {@link #end(Throwable)} when it failed; the consumer with
 * {@link #stop()}, which wakes a producer waiting for a buffer. The first failure of either side is kept for the
 * other to read ({@link #failure()}): a producer's, once its consumer has taken everything before it; a
 * consumer's ({@link #fail}), whenever the producer looks.
 *
 * <p>Shared by the three places where regx overlaps two jobs on two cores: hashing a blob as it arrives
 * ({@code BackgroundHasher}), reading a layer ahead of its tar parser ({@code ReadAheadInputStream}) and
 * writing a saved layer with O_DIRECT ({@code DirectIoWriter}). At the root, like {@link UsageException}, so
 * each can use it without depending on another's package.
 *
 * @param <B> the buffers
 * @param <T> what is handed over: a buffer and what the consumer needs to know of it (its length, a position)
 */
public final class Handoff<B, T> {
    /** Handed over after the last item, by {@link #end}; and given back instead of a buffer, by {@link #stop}. */
    private static final Object STOP = new Object();

    private final int count;
    private final BlockingQueue<Object> free;
    private final BlockingQueue<Object> items;
    private volatile Throwable failure;
    private volatile boolean stopped;

    public Handoff(List<B> buffers) {
        this.count = buffers.size();
        this.free = new ArrayBlockingQueue<>(count + 1);
        free.addAll(buffers);
        // Room for every buffer and the end: the producer never waits to hand over, only for a free buffer.
        this.items = new ArrayBlockingQueue<>(count + 1);
    }

    /** A free buffer to fill, waiting while all are handed over; null once the consumer has {@link #stop}ped. */
    @SuppressWarnings("unchecked")
    public B buffer() throws InterruptedException {
        Object b = free.take();
        if (b == STOP) {
            free.add(STOP); // for any later call
            return null;
        }
        return stopped ? null : (B) b;
    }

    /** Hands {@code item} (holding a buffer from {@link #buffer}) to the consumer. */
    public void put(T item) throws InterruptedException {
        items.put(item);
    }

    /** No more items: the consumer's {@link #take} returns null after those handed over before. */
    public void end() {
        items.offer(STOP);
    }

    /** The producer failed: {@link #end()}, with {@code cause} as the {@link #failure()} the consumer then sees. */
    public void end(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        end();
    }

    /** The next item, waiting for it; null after the producer's {@link #end}, and on every call after that. */
    @SuppressWarnings("unchecked")
    public T take() throws InterruptedException {
        Object item = items.take();
        if (item == STOP) {
            items.add(STOP);
            return null;
        }
        return (T) item;
    }

    /** Gives a buffer back to the producer, used (consumer) or never filled (producer). */
    public void giveBack(B buffer) {
        free.add(buffer);
    }

    /** The consumer wants no more: a producer waiting in {@link #buffer}, or calling it later, gets null. */
    public void stop() {
        stopped = true;
        free.add(STOP);
    }

    /** The consumer failed: kept for the producer ({@link #failure()}); the first failure of either side stays. */
    public void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
    }

    /** The first failure either side reported, or null. */
    public Throwable failure() {
        return failure;
    }

    /**
     * Waits until the consumer has given back every buffer but the {@code held} ones the producer has, so that
     * everything handed over has been used.
     */
    public void awaitIdle(int held) throws InterruptedException {
        Object[] idle = new Object[count - held];
        for (int i = 0; i < idle.length; i++) {
            idle[i] = free.take();
        }
        for (Object b : idle) {
            free.add(b);
        }
    }
}
