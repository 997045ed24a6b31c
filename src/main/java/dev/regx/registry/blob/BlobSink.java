package dev.regx.registry.blob;

import java.io.IOException;

/**
 * Where a blob's bytes go as they arrive. A sink may already hold a prefix of the blob (a {@code .part}
 * file from an interrupted run); the fetcher then asks the registry for the rest only.
 */
public interface BlobSink {
    /** How many bytes of the blob the sink already holds. */
    long position();

    /**
     * Feeds the bytes the sink already holds to {@code hasher}, so the whole blob can be verified. Called
     * once before a resumed fetch.
     */
    void hashExisting(java.security.MessageDigest hasher) throws LocalWriteException;

    /** Appends bytes at {@link #position()}. */
    void write(byte[] buffer, int offset, int length) throws LocalWriteException;

    /** Drops whatever the sink holds, to start over (only for sinks that can). */
    void discard() throws LocalWriteException;

    /** Whether {@link #discard()} can start the blob over (a file can; stdout cannot take back what it wrote). */
    boolean canDiscard();

    /** A failure writing locally (disk full, permission), as opposed to reading from the network. */
    final class LocalWriteException extends IOException {
        public LocalWriteException(String message, IOException cause) {
            super(message, cause);
        }
    }
}
