package dev.regx.registry.blob;

/**
 * How a big blob is fetched over several connections: {@code connections} ranged GETs at once, each for one chunk
 * of {@code chunkBytes}, for a blob with at least {@code minBytes} left to fetch.
 *
 * <p>Why: the object stores behind registries (S3 behind ECR, the CDNs behind Docker Hub and GHCR) cap what one
 * connection gets, and their vendors advise parallel byte-range GETs for large objects; containerd 2.1 fetches a
 * layer so too. Chunks are consumed in order through a window of {@code connections + 1} chunk buffers
 * ({@link ChunkWindow}), so memory stays flat: 20 MiB at the defaults, whatever the blob's size.
 *
 * @param connections at most this many requests at once; 1 is a single stream, as before
 * @param chunkBytes the size of one ranged GET: 4 MiB by default, large enough that a request's round trip is small
 *     beside its transfer (after the first chunk, requests go straight to the CDN's URL), small enough that the
 *     window keeps {@code regx ls} of a big layer under 128 MiB of peak RSS (8 MiB chunks made it 143 MiB)
 * @param minBytes the least a blob must have left to fetch for the chunks to be worth their requests
 * @param linkBoundAfter how many starved reads in a row ({@link StarvedReads}) show a link slower than regx, which
 *     gets the other connections; {@link #LINK_BOUND_AFTER}, or for tests 0 (a slow link: all connections at once)
 *     and {@link Integer#MAX_VALUE} (a fast one: after the first chunk, one stream to the end)
 */
public record ParallelFetch(int connections, int chunkBytes, long minBytes, int linkBoundAfter) {
    static final int DEFAULT_CHUNK_BYTES = 4 << 20;
    /**
     * Parallel connections are for links that cap each connection (50-100 MB/s from S3 or a CDN); over a link that
     * keeps up with regx (a registry next door) they only add requests and threads competing for the CPU that hashes
     * the blob: 1.1 GB over loopback, four connections took 2.65 s where one took 1.89 s. Eight starved reads in a row
     * ({@link StarvedReads}) tell the first kind: at 50 MB/s they come within the first 256 KiB.
     */
    static final int LINK_BOUND_AFTER = 8;
    /** One stream: what a command gets with {@code --connections 1}. */
    public static final ParallelFetch OFF = new ParallelFetch(1, DEFAULT_CHUNK_BYTES, Long.MAX_VALUE, LINK_BOUND_AFTER);

    public ParallelFetch {
        if (connections < 1 || chunkBytes < 1 || minBytes < 0 || linkBoundAfter < 0) {
            throw new IllegalArgumentException("connections and chunk size must be positive");
        }
    }

    public ParallelFetch(int connections, int chunkBytes, long minBytes) {
        this(connections, chunkBytes, minBytes, LINK_BOUND_AFTER);
    }

    /**
     * {@code connections} at the default chunk size and threshold (two chunks). The system properties {@code
     * regx.fetch.chunkBytes} and {@code regx.fetch.minBytes} change those, for tests only: they make a blob of a
     * few KiB many chunks, so no test needs a big one; {@code regx.fetch.linkBoundAfter} makes a test's loopback
     * registry count as a capped link (0) or a fast one (a huge number). Not documented for users.
     */
    public static ParallelFetch of(int connections) {
        int chunk = Integer.getInteger("regx.fetch.chunkBytes", DEFAULT_CHUNK_BYTES);
        long min = Long.getLong("regx.fetch.minBytes", 2L * chunk);
        int linkBound = Integer.getInteger("regx.fetch.linkBoundAfter", LINK_BOUND_AFTER);
        return new ParallelFetch(connections, chunk, min, linkBound);
    }

    /** Whether fetching {@code remaining} bytes of a blob goes over several connections. */
    public boolean worthIt(long remaining) {
        return connections > 1 && remaining >= minBytes && remaining > chunkBytes;
    }

    /** How many chunk buffers the window holds: one being consumed while every connection fills another. */
    int windowChunks() {
        return connections + 1;
    }
}
