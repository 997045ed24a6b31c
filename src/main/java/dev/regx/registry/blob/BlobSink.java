package dev.regx.registry.blob;

import java.io.IOException;
import java.security.MessageDigest;

/**
 * Where a blob's bytes go as they arrive. A sink may already hold a prefix of the blob (a {@code .part}
 * file from an interrupted run); the fetcher then asks the registry for the rest only.
 *
 * @param <E> what the sink throws when it cannot take the bytes (disk full, a reader gone): the sink's own
 *     failure, which {@link BlobFetcher} passes on as it is and never takes for a network failure to retry
 */
public interface BlobSink<E extends IOException> {
    /** How many bytes of the blob the sink already holds. */
    long position();

    /**
     * Feeds the bytes the sink already holds to {@code hasher}, so the whole blob can be verified. Called
     * once before a resumed fetch.
     */
    void hashExisting(MessageDigest hasher) throws E;

    /** Appends bytes at {@link #position()}. */
    void write(byte[] buffer, int offset, int length) throws E;

    /** Drops whatever the sink holds, to start over (only for sinks that can). */
    void discard() throws E;

    /** Whether {@link #discard()} can start the blob over (a file can; stdout cannot take back what it wrote). */
    boolean canDiscard();
}
