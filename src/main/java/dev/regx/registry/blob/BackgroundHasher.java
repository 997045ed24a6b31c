package dev.regx.registry.blob;

import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Feeds a {@link MessageDigest} on a thread of its own, so hashing a blob overlaps with reading it from the
 * network and writing it to disk instead of adding to them: SHA-256 of a 1 GiB layer is most of a second
 * of CPU even with the SHA-NI intrinsic, and there is a second core.
 *
 * <p>Buffers circulate: {@link #buffer()} lends a free one, the caller fills it (and may write it out),
 * {@link #hash} queues it, and once hashed it is free again. Bytes are hashed in the order they are queued.
 * Memory is fixed: {@code count × size} bytes.
 */
public final class BackgroundHasher implements AutoCloseable {
    private record Work(byte[] buffer, int length) {}

    private static final Work STOP = new Work(new byte[0], 0);

    private final MessageDigest digest;
    private final int count;
    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Work> work;
    private final Thread thread;
    private volatile RuntimeException failure;

    public BackgroundHasher(MessageDigest digest, int count, int size) {
        this.digest = digest;
        this.count = count;
        this.free = new ArrayBlockingQueue<>(count);
        this.work = new ArrayBlockingQueue<>(count + 1);
        for (int i = 0; i < count; i++) {
            free.add(new byte[size]);
        }
        this.thread = new Thread(this::run, "regx-hash");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            while (true) {
                Work w = work.take();
                if (w == STOP) {
                    return;
                }
                try {
                    digest.update(w.buffer, 0, w.length);
                } catch (RuntimeException e) {
                    failure = e;
                }
                free.add(w.buffer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A free buffer to fill; waits while all are queued for hashing. */
    public byte[] buffer() {
        try {
            return free.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the hasher", e);
        }
    }

    /** Queues the first {@code length} bytes of a buffer from {@link #buffer()}; the buffer must not be touched after. */
    public void hash(byte[] buffer, int length) {
        try {
            work.put(new Work(buffer, length));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted queueing bytes to hash", e);
        }
    }

    /** Hands back a buffer from {@link #buffer()} that holds nothing to hash. */
    public void release(byte[] buffer) {
        free.add(buffer);
    }

    /** Waits until every queued byte is hashed; after this the digest may be read or updated directly. */
    public void awaitIdle() {
        byte[][] all = new byte[count][];
        for (int i = 0; i < count; i++) {
            all[i] = buffer();
        }
        for (byte[] b : all) {
            free.add(b);
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** The digest of everything queued. */
    public byte[] digest() {
        awaitIdle();
        return digest.digest();
    }

    @Override
    public void close() {
        work.offer(STOP);
    }
}
