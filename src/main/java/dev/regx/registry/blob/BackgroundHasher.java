package dev.regx.registry.blob;

import dev.regx.Handoff;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

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

    private final MessageDigest digest;
    private final Handoff<byte[], Work> handoff;
    private final Thread thread;

    public BackgroundHasher(MessageDigest digest, int count, int size) {
        this.digest = digest;
        List<byte[]> buffers = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            buffers.add(new byte[size]);
        }
        this.handoff = new Handoff<>(buffers);
        this.thread = new Thread(this::run, "regx-hash");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try {
            for (Work w = handoff.take(); w != null; w = handoff.take()) {
                try {
                    digest.update(w.buffer, 0, w.length);
                } catch (RuntimeException e) {
                    handoff.fail(e);
                }
                handoff.giveBack(w.buffer);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A free buffer to fill; waits while all are queued for hashing. */
    public byte[] buffer() {
        try {
            return handoff.buffer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the hasher", e);
        }
    }

    /**
     * Queues the first {@code length} bytes of a buffer from {@link #buffer()}; the buffer must not be touched after.
     */
    public void hash(byte[] buffer, int length) {
        try {
            handoff.put(new Work(buffer, length));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted queueing bytes to hash", e);
        }
    }

    /** Hands back a buffer from {@link #buffer()} that holds nothing to hash. */
    public void release(byte[] buffer) {
        handoff.giveBack(buffer);
    }

    /** Waits until every queued byte is hashed; after this the digest may be read or updated directly. */
    public void awaitIdle() {
        try {
            handoff.awaitIdle(0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the hasher", e);
        }
        if (handoff.failure() instanceof RuntimeException e) {
            throw e;
        }
    }

    /** The digest of everything queued. */
    public byte[] digest() {
        awaitIdle();
        return digest.digest();
    }

    @Override
    public void close() {
        handoff.end();
    }
}
