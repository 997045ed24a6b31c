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
import java.io.InterruptedIOException;
import java.net.URI;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
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
 * <p>More connections are only worth their cost over a link slower than regx ({@link StarvedReads}). The first
 * chunk's reads tell: starved ones start the other connections at once; a first chunk that came in full reads came
 * over a link that keeps up with regx (a registry next door), and the rest of the blob is asked for in one ranged GET
 * that the reader reads straight into its own buffer, as a single stream. That stream is watched too ({@link
 * OneStream}): a link that turns slow (a CDN that lets a request's first megabytes through at full speed, then caps
 * it) hands the rest over to chunks and connections from where the stream stood.
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
    private final ParallelFetch settings;
    /** Where the last request for the blob was answered after the registry's redirect: asked directly while it answers. */
    private volatile URI location;

    /** The stretch of chunks the reader is in, or null while the blob comes over one stream. */
    private Chunks chunks;
    /** The one stream the rest of the blob comes over, or null. */
    private OneStream stream;

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
        this.settings = settings;
        this.location = first.uri();
        this.chunks = new Chunks(plan, first, true);
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
        while (true) {
            if (chunks != null) {
                int n = chunks.read(b, off, len);
                if (n >= 0 || chunks.end() == descriptor.size()) {
                    return n;
                }
                // The first chunk came over a link that keeps up with regx: the rest over one stream.
                long at = chunks.end();
                chunks.close();
                chunks = null;
                stream = new OneStream(at);
            } else if (stream != null) {
                int n = stream.read(b, off, len);
                if (n != OneStream.SLOW_LINK) {
                    return n;
                }
                long at = stream.position;
                stream.close();
                stream = null;
                chunks = new Chunks(new ChunkPlan(at, descriptor.size(), settings.chunkBytes()), null, false);
            } else {
                return -1; // closed
            }
        }
    }

    /** Stops the connections (each at its next read) and lets the chunk buffers go. */
    @Override
    public void close() {
        if (chunks != null) {
            chunks.close();
            chunks = null;
        }
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }

    /** Bytes {@code first} to {@code last}: from the URL the blob was last answered from, or through the registry. */
    private HttpResponseStream openRange(long first, long last) {
        return source.openBlobRange(ref, descriptor, first, last, location);
    }

    /**
     * {@code response}, once {@link #checkRange checked} to be the range from {@code from} (closed if not); the URL
     * it came from is where the next request goes.
     */
    private HttpResponseStream checked(HttpResponseStream response, long from) {
        try {
            checkRange(response, from);
        } catch (RuntimeException e) {
            response.close();
            throw e;
        }
        location = response.uri();
        return response;
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

    private static void close(HttpResponseStream response) {
        if (response != null) {
            response.close();
        }
    }

    /**
     * Bytes from {@code plan.start()} to the blob's end, fetched in chunks by several connections through a window and
     * read in order. A probing stretch starts with one connection on its first chunk, whose reads decide: starved ones
     * start the others; otherwise the stretch ends with that chunk and the rest comes over one stream.
     */
    private final class Chunks {
        private final ChunkPlan plan;
        private final ChunkWindow window;
        /** The first chunk's answer, for the connection that takes chunk 0; null once taken (or never had). */
        private final AtomicReference<HttpResponseStream> firstAnswer;
        /** Counted down once it is known whether the other connections start or the stretch ends with chunk 0. */
        private final CountDownLatch decided = new CountDownLatch(1);
        /** The first chunk's reads (only the first connection's thread reads them). */
        private final StarvedReads firstReads = new StarvedReads(settings.linkBoundAfter());
        /** Whether the other connections have been started (only by the first connection's thread). */
        private boolean othersStarted;
        /** Set before {@link #decided} is counted down: the stretch ends with chunk 0. */
        private volatile boolean onlyFirst;

        /** The chunk the reader is on (the window's head, as the reader's thread counts it) and its bytes read. */
        private int head;

        private int consumed;

        Chunks(ChunkPlan plan, HttpResponseStream first, boolean probe) {
            this.plan = plan;
            this.window = new ChunkWindow(plan.count(), plan.chunkBytes(), settings.windowChunks());
            this.firstAnswer = new AtomicReference<>(first);
            if (probe && settings.linkBoundAfter() > 0) {
                start(1, this::lead);
            } else {
                start(1, this::work);
                startOthers();
            }
        }

        private void start(int connection, Runnable work) {
            Thread t = new Thread(work, "regx-fetch-" + connection);
            t.setDaemon(true);
            t.start();
        }

        /**
         * The first connection of a probing stretch: chunk 0, its reads watched; then either the end of the stretch
         * (this thread ends) or, with the other connections started, chunks as the window hands them out.
         */
        private void lead() {
            try {
                claimChunks(true);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                decided.countDown(); // after a failed first chunk: the reader meets its failure, never waits here
            }
        }

        /** The link is slower than regx: the other connections go to work. */
        private void startOthers() {
            if (othersStarted) {
                return;
            }
            othersStarted = true;
            decided.countDown();
            int connections = Math.min(settings.connections(), plan.count());
            for (int i = 2; i <= connections; i++) {
                start(i, this::work);
            }
        }

        private void work() {
            try {
                claimChunks(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * Chunks one after another, as the window hands them out; for the first connection of a probing stretch
         * ({@code lead}), chunk 0 first, after which it stops if the other connections were not needed.
         */
        private void claimChunks(boolean lead) throws InterruptedException {
            int chunk = -1;
            try {
                while ((chunk = window.claim()) >= 0) {
                    fetch(chunk, chunk == 0 ? firstAnswer.getAndSet(null) : null, lead && chunk == 0);
                    if (lead && chunk == 0 && !othersStarted && !window.isClosed()) {
                        onlyFirst = true;
                        decided.countDown();
                        return;
                    }
                }
            } catch (RuntimeException | Error e) {
                window.fail(chunk, e);
            }
        }

        /**
         * Fills {@code chunk}'s buffer, resuming within the chunk after a broken connection, a bounded number of times;
         * with {@code watched}, its reads tell whether the other connections are needed.
         */
        private void fetch(int chunk, HttpResponseStream answered, boolean watched) {
            long first = plan.first(chunk);
            int length = plan.length(chunk);
            byte[] buffer = window.buffer(chunk);
            int filled = 0;
            DownloadAttempts attempts = new DownloadAttempts(retry, what, descriptor.size(), first);
            while (filled < length) {
                if (window.isClosed()) {
                    ParallelRangeStream.close(answered);
                    return;
                }
                long from = first + filled;
                HttpResponseStream opened = answered != null ? answered : openRange(from, plan.last(chunk));
                answered = null;
                try (HttpResponseStream response = checked(opened, from)) {
                    InputStream in = response.body();
                    while (filled < length) {
                        int asked = Math.min(READ_BYTES, length - filled);
                        int n = in.read(buffer, filled, asked);
                        if (watched && !othersStarted && firstReads.slowLink(asked, n)) {
                            startOthers();
                        }
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

        /** The stretch's bytes in order; -1 at its end (the blob's, or chunk 0's when the rest goes one stream). */
        int read(byte[] b, int off, int len) throws IOException {
            if (head >= window.count() || (head == 1 && consumed == 0 && onlyTheFirst())) {
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

        /** Whether the stretch ends with chunk 0: known once that chunk has come, or its reads showed a slow link. */
        private boolean onlyTheFirst() throws InterruptedIOException {
            try {
                decided.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for the blob's first chunk");
            }
            return onlyFirst;
        }

        /** Where the reader stands in the blob: at the stretch's end once {@link #read} has said -1. */
        long end() {
            return head >= window.count() ? plan.end() : plan.first(head) + consumed;
        }

        /** Stops the connections (each at its next read) and lets the chunk buffers go. */
        void close() {
            window.close();
            ParallelRangeStream.close(firstAnswer.getAndSet(null));
        }
    }

    /**
     * The rest of the blob from {@code position} on as one ranged GET, read straight into the reader's buffer; a
     * connection that breaks is resumed from the bytes read so far, with the attempts a chunk gets. Its reads are
     * watched, and it gives way to chunks over several connections when the link shows it is slower than regx: reads
     * that come back starved ({@link StarvedReads}, a link capped evenly), or a reader that spends most of its time
     * waiting in them (a link that sends in bursts, as nginx's {@code limit_rate} does: each burst fills a good part
     * of a read, but the waits between them are what the reader does).
     */
    private final class OneStream {
        /** What {@link #read} returns when the link has shown it is slower than regx. */
        static final int SLOW_LINK = -2;
        /** How long the reader is watched at a time: long enough that a burst and its wait both fall in it. */
        static final long WATCH_NANOS = 250_000_000L;
        /**
         * 300 MB/s: a stream this fast is left alone even when the reader waits for it, since regx could not take
         * much more on most machines anyway (over loopback, a stream at 1 GB/s into {@code -o /dev/null} kept the
         * reader waiting, and four connections took 1.9 s where it took 1.4 s).
         */
        static final long FAST_ENOUGH_BYTES_PER_SECOND = 300_000_000L;

        private final DownloadAttempts attempts;
        private final StarvedReads reads = new StarvedReads(settings.linkBoundAfter());
        private HttpResponseStream response;
        private long position;
        /** The link has shown it is slow: the next read gives way. */
        private boolean slow;
        /** When the current watch began (0: at the next read), and the time spent inside reads since. */
        private long watchStart;

        private long waited;
        private long watchedBytes;

        OneStream(long position) {
            this.position = position;
            this.attempts = new DownloadAttempts(retry, what, descriptor.size(), position);
        }

        /** The blob's next bytes; -1 at its end; {@link #SLOW_LINK} once the link has shown it is slower than regx. */
        int read(byte[] b, int off, int len) throws IOException {
            if (slow) {
                return SLOW_LINK;
            }
            while (position < descriptor.size()) {
                try {
                    if (response == null) {
                        response = checked(openRange(position, descriptor.size() - 1), position);
                    }
                    int asked = (int) Math.min(len, descriptor.size() - position);
                    long before = System.nanoTime();
                    if (watchStart == 0) {
                        watchStart = before;
                    }
                    int n = response.body().read(b, off, asked);
                    if (n < 0) {
                        throw new EOFException("the range ended at byte " + position + " of " + descriptor.size());
                    }
                    position += n;
                    watchedBytes += n;
                    boolean starved = reads.slowLink(asked, n);
                    slow = (starved || mostlyWaiting(System.nanoTime(), before))
                            && settings.worthIt(descriptor.size() - position);
                    return n;
                } catch (IOException e) {
                    close();
                    retry.sleep(attempts.failed(e, position, ""));
                }
            }
            return -1;
        }

        /**
         * Adds a read that began at {@code before} to the watch; at the end of a watch, whether the reader spent more
         * than half of it inside reads while the stream came slower than {@link #FAST_ENOUGH_BYTES_PER_SECOND}.
         * Never for a test that wants one stream ({@code linkBoundAfter} at its maximum).
         */
        private boolean mostlyWaiting(long now, long before) {
            waited += now - before;
            long watched = now - watchStart;
            if (watched < WATCH_NANOS) {
                return false;
            }
            boolean waiting = waited > watched / 2
                    && watchedBytes * 1_000_000_000.0 / watched < FAST_ENOUGH_BYTES_PER_SECOND
                    && settings.linkBoundAfter() != Integer.MAX_VALUE;
            watchStart = now;
            waited = 0;
            watchedBytes = 0;
            return waiting;
        }

        void close() {
            ParallelRangeStream.close(response);
            response = null;
            watchStart = 0; // a new connection's set-up is not the link's pace
            waited = 0;
            watchedBytes = 0;
        }
    }
}
