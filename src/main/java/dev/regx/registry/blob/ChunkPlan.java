package dev.regx.registry.blob;

/**
 * The chunks bytes {@code start} to {@code end} (exclusive) of a blob are fetched in: {@code chunkBytes} each, the
 * last one shorter. Chunk 0 begins at {@code start}, which is where a resumed download picks up.
 */
record ChunkPlan(long start, long end, int chunkBytes) {
    ChunkPlan {
        if (start < 0 || end <= start || chunkBytes < 1) {
            throw new IllegalArgumentException("no bytes to plan: " + start + "-" + end + " by " + chunkBytes);
        }
    }

    int count() {
        return (int) ((end - start + chunkBytes - 1) / chunkBytes);
    }

    /** The offset in the blob of chunk {@code i}'s first byte. */
    long first(int i) {
        return start + (long) i * chunkBytes;
    }

    /** The offset of chunk {@code i}'s last byte, as a {@code Range: bytes=FIRST-LAST} names it. */
    long last(int i) {
        return Math.min(first(i) + chunkBytes, end) - 1;
    }

    int length(int i) {
        return (int) (last(i) - first(i) + 1);
    }
}
