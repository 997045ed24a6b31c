package dev.regx.registry.blob;

import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.transport.HttpResponseStream;
import dev.regx.registry.transport.RetryPolicy;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A blob's bytes from an offset to its end, in order, fetched in chunks by several connections at once: each a
 * ranged GET through the registry (its redirect followed, its credentials never sent to another origin), or straight
 * to the URL an earlier chunk was redirected to while that answers, with retries per chunk that resume from the
 * chunk's bytes received so far. The reader sees one stream; nothing here hashes or verifies, which stays with
 * whoever reads (the digest is a property of the whole blob, in order).
 *
 * <p>Opened with {@link #open}, which asks for the first chunk alone: only a server that answers it with 206 gets
 * more connections. One that ignores ranges answers 200 with the whole blob, and that answer is handed back to be
 * read as the single stream it is, so no byte is fetched twice.
 *
 * <p>Resuming stays as simple as with one stream: the reader gets the bytes in order, so whatever it writes (a
 * {@code .part}) is a prefix of the blob, and a resumed run opens this stream from that prefix's end. Chunks that
 * were in the window when a run stopped are fetched again; no sidecar records which chunks were whole.
 */
public final class ParallelRangeStream extends InputStream {
    /** The most one socket read asks for: the reader sees a chunk's bytes at least this often. */
    private static final int READ_BYTES = 256 << 10;

    /**
     * How a blob was opened: {@code parallel} when the server honours ranges, otherwise {@code single}, the
     * server's answer as a single stream would have had it (200, the whole blob; 416).
     */
    public record Opening(ParallelRangeStream parallel, HttpResponseStream single) implements AutoCloseable {
        /** The blob's bytes, whichever way they come. */
        public InputStream body() {
            return parallel != null ? parallel : single.body();
        }

        @Override
        public void close() {
            if (parallel != null) {
                parallel.close();
            } else {
                single.close();
            }
        }
    }

    private final BlobSource source;
    private final ImageReference ref;
    private final Descriptor descriptor;
    private final String what;
    private final RetryPolicy retry;
    private final ChunkPlan plan;
    private final ChunkWindow window;
    /** The first chunk's answer, for the connection that takes chunk 0; null once taken. */
    private final AtomicReference<HttpResponseStream> firstAnswer;
    /** Where the last chunk came from after the registry's redirect: asked directly while it answers. */
    private volatile URI location;

    /** The chunk the reader is on (the window's head, as the reader's thread counts it) and its bytes read. */
    private int head;

    private int consumed;

    private ParallelRangeStream(
            BlobSource source,
            ImageReference ref,
            Descriptor descriptor,
            ChunkPlan plan,
            ParallelFetch settings,
            HttpResponseStream first) {
        this.source = source;
        this.ref = ref;
        this.descriptor = descriptor;
        this.what = ref.blobName(descriptor.digest());
        this.retry = source.retryPolicy();
        this.plan = plan;
        this.window = new ChunkWindow(plan.count(), plan.chunkBytes(), settings.windowChunks());
        this.firstAnswer = new AtomicReference<>(first);
        this.location = first.uri();
        int connections = Math.min(settings.connections(), plan.count());
        for (int i = 1; i <= connections; i++) {
            Thread t = new Thread(this::work, "regx-fetch-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    /**
     * Opens {@code descriptor}'s blob from byte {@code start}: over {@code source}'s parallel connections when that is
     * worth it and the server answers the first chunk with 206, otherwise as one stream ({@link BlobSource#openBlob}).
     */
    public static Opening open(BlobSource source, ImageReference ref, Descriptor descriptor, long start) {
        ParallelFetch settings = source.parallelFetch();
        if (!settings.worthIt(descriptor.size() - start)) {
            return new Opening(null, source.openBlob(ref, descriptor, start));
        }
        ChunkPlan plan = new ChunkPlan(start, descriptor.size(), settings.chunkBytes());
        HttpResponseStream first = source.openBlobRange(ref, descriptor, plan.first(0), plan.last(0), null);
        if (first.status() != 206) {
            return new Opening(null, first);
        }
        return new Opening(new ParallelRangeStream(source, ref, descriptor, plan, settings, first), null);
    }

    /** One connection: chunks one after another, as the window hands them out. */
    private void work() {
        int chunk = -1;
        try {
            while ((chunk = window.claim()) >= 0) {
                fetch(chunk, chunk == 0 ? firstAnswer.getAndSet(null) : null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            window.fail(chunk, e);
        }
    }

    /** Fills {@code chunk}'s buffer, resuming within the chunk after a broken connection, a bounded number of times. */
    private void fetch(int chunk, HttpResponseStream answered) {
        long first = plan.first(chunk);
        int length = plan.length(chunk);
        byte[] buffer = window.buffer(chunk);
        int filled = 0;
        DownloadAttempts attempts = new DownloadAttempts(retry, what, descriptor.size(), first);
        while (filled < length) {
            if (window.isClosed()) {
                close(answered);
                return;
            }
            long from = first + filled;
            try (HttpResponseStream response = answered != null
                    ? answered
                    : source.openBlobRange(ref, descriptor, from, plan.last(chunk), location)) {
                answered = null;
                checkRange(response, from);
                location = response.uri();
                InputStream in = response.body();
                while (filled < length) {
                    int n = in.read(buffer, filled, Math.min(READ_BYTES, length - filled));
                    if (n < 0) {
                        throw new EOFException("the range ended after " + filled + " of the chunk's " + length
                                + " bytes"); // cut without framing, or a shorter range than asked: ask for the rest
                    }
                    filled += n;
                    window.fill(chunk, n);
                    if (window.isClosed()) {
                        return;
                    }
                }
            } catch (IOException e) {
                retry.sleep(attempts.failed(e, first + filled, ""));
            }
        }
    }

    /**
     * A chunk's answer must be the range asked for, of a blob as long as the descriptor says. A server that honoured
     * the first chunk's range and then stops honouring them is not one to guess about: a malformed answer.
     */
    private void checkRange(HttpResponseStream response, long from) {
        if (response.status() == 416) {
            OptionalLong total = BlobFetcher.contentRangeTotal(response);
            throw total.isPresent() && total.getAsLong() != descriptor.size()
                    ? SizeMismatch.held(what, total.getAsLong(), descriptor.size())
                    : SizeMismatch.endsBefore(what, from, descriptor.size());
        }
        if (response.status() != 206) {
            throw new RegistryException(
                    Kind.MALFORMED_RESPONSE,
                    what + ": asked for bytes from " + from + ", the server answered HTTP " + response.status()
                            + " where it had honoured ranges before; try again with --connections 1");
        }
        long start = BlobFetcher.contentRangeStart(response);
        if (start != from) {
            throw new RegistryException(
                    Kind.MALFORMED_RESPONSE,
                    what + ": asked for bytes from " + from + " but the server sent a range starting at " + start);
        }
        OptionalLong total = BlobFetcher.contentRangeTotal(response);
        if (total.isPresent() && total.getAsLong() != descriptor.size()) {
            throw SizeMismatch.held(what, total.getAsLong(), descriptor.size());
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (head >= window.count()) {
            return -1;
        }
        int available = window.awaitHead(consumed);
        int n = Math.min(len, available - consumed);
        System.arraycopy(window.headBuffer(), consumed, b, off, n);
        consumed += n;
        if (consumed == plan.length(head)) {
            window.advance();
            head++;
            consumed = 0;
        }
        return n;
    }

    /** Stops the connections (each at its next read) and lets the chunk buffers go. */
    @Override
    public void close() {
        window.close();
        close(firstAnswer.getAndSet(null));
    }

    private static void close(HttpResponseStream response) {
        if (response != null) {
            response.close();
        }
    }
}
