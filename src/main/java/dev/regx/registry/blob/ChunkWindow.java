package dev.regx.registry.blob;

import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The chunks of one blob between the connections that fill them, in any order, and the one reader that consumes
 * them in order. At most {@code slots} chunks are held at once, the one being read included: a connection wanting a
 * chunk further ahead waits until the reader has finished the oldest. Memory is thus {@code slots} chunk buffers,
 * allocated as first needed and then reused, however long the blob.
 *
 * <p>The reader may read a chunk while it is still arriving, up to the bytes filled so far: the window's head never
 * waits for a whole chunk. Bytes a connection has published are not written again, so the reader and the connection
 * never touch the same bytes at once; the lock orders the publishing before the reading.
 *
 * <p>A chunk that fails for good fails the window from that chunk on: the reader gets the failure when it comes to
 * that chunk (everything before it is still delivered, so a file keeps the longest whole prefix), and no further
 * chunk is handed out.
 */
final class ChunkWindow {
    private final int count;
    private final int chunkBytes;
    private final byte[][] buffers;
    /** Bytes filled of the chunk each slot holds ({@code chunk % slots}). */
    private final int[] filled;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final Condition freed = lock.newCondition();
    /** The chunk the reader is on; every chunk before it is consumed and its slot free. */
    private int head;
    /** The next chunk to hand to a connection. */
    private int nextClaim;
    /** The first chunk that failed for good, and why; {@link #count} while none has. */
    private int failedChunk;

    private Throwable failure;
    private boolean closed;

    ChunkWindow(int count, int chunkBytes, int slots) {
        this.count = count;
        this.chunkBytes = chunkBytes;
        this.buffers = new byte[Math.min(slots, count)][];
        this.filled = new int[buffers.length];
        this.failedChunk = count;
    }

    /**
     * The next chunk for a connection to fetch, once its slot is free; -1 when every chunk is handed out, one has
     * failed, or the reader has gone.
     */
    int claim() throws InterruptedException {
        lock.lock();
        try {
            while (!closed && nextClaim < failedChunk && nextClaim >= head + buffers.length) {
                freed.await();
            }
            if (closed || nextClaim >= failedChunk) {
                return -1;
            }
            int chunk = nextClaim++;
            int slot = chunk % buffers.length;
            if (buffers[slot] == null) {
                buffers[slot] = new byte[chunkBytes];
            }
            return chunk;
        } finally {
            lock.unlock();
        }
    }

    /** Where the connection that claimed {@code chunk} puts its bytes, from {@link #filled(int)} on. */
    byte[] buffer(int chunk) {
        lock.lock();
        try {
            return buffers[chunk % buffers.length];
        } finally {
            lock.unlock();
        }
    }

    /** Publishes {@code n} more bytes of {@code chunk} to the reader. */
    void fill(int chunk, int n) {
        lock.lock();
        try {
            filled[chunk % buffers.length] += n;
            if (chunk == head) {
                arrived.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** {@code chunk} cannot be fetched: the reader gets {@code why} when it comes to it, and no chunk after it is. */
    void fail(int chunk, Throwable why) {
        lock.lock();
        try {
            if (chunk < failedChunk) {
                failedChunk = chunk;
                failure = why;
            }
            arrived.signal();
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the reader has gone: connections stop. */
    boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until the head chunk has bytes past {@code consumed} and returns how many it has in all.
     *
     * @throws RuntimeException or {@link Error} the failure of that chunk, as the connection met it
     */
    int awaitHead(int consumed) throws InterruptedIOException {
        lock.lock();
        try {
            while (filled[head % buffers.length] <= consumed) {
                if (head >= failedChunk) {
                    throw rethrow(failure);
                }
                try {
                    arrived.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for the blob's next chunk");
                }
            }
            return filled[head % buffers.length];
        } finally {
            lock.unlock();
        }
    }

    /** The head chunk's buffer: its bytes below {@link #awaitHead}'s count are the reader's to read. */
    byte[] headBuffer() {
        lock.lock();
        try {
            return buffers[head % buffers.length];
        } finally {
            lock.unlock();
        }
    }

    /** The reader is done with the head chunk: its slot goes to the chunk {@code slots} ahead. */
    void advance() {
        lock.lock();
        try {
            filled[head % buffers.length] = 0; // the slot's bytes are stale until its next chunk is claimed
            head++;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The reader has gone; connections stop at their next chunk or read. */
    void close() {
        lock.lock();
        try {
            closed = true;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    int count() {
        return count;
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return (RuntimeException) t;
    }
}
