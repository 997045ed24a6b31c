package dev.regx.registry.blob;

import dev.regx.registry.Digest;
import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.transport.HttpResponseStream;
import dev.regx.registry.transport.RetryPolicy;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Streams one blob from a registry into a {@link BlobSink}, hashing as the bytes pass, and checks the
 * size and digest against the descriptor before declaring success.
 *
 * <p>It resumes rather than restarts: bytes the sink already holds are hashed from disk and only the rest
 * is requested with {@code Range}. A server that ignores the range answers 200; its prefix is then read
 * and thrown away (the sink keeps what it has), so resuming costs bandwidth but never correctness. A
 * connection that breaks mid-body is retried from the bytes received so far, a bounded number of times.
 *
 * <p>A cut is told from a short blob by the response's own framing: a body that ends before its
 * {@code Content-Length} (or its chunked encoding's end) is a broken connection and is resumed; a whole body, or
 * a {@code Content-Range} total, that says the registry's copy is shorter than the descriptor is a size mismatch,
 * reported at once, since no retry can fetch bytes the registry does not have.
 */
public final class BlobFetcher {
    private static final int BUFFER = 1 << 20;
    /** {@code bytes START-END/TOTAL} (206) or {@code bytes *}{@code /TOTAL} (416); TOTAL may be {@code *}. */
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(?:(\\d{1,18})-\\d+|\\*)/(\\d{1,18}|\\*)");
    /** Buffers in flight between the network and the hashing thread: 4 MiB in all. */
    private static final int BUFFERS = 4;

    private final BlobSource client;
    private final RetryPolicy retry;

    public BlobFetcher(BlobSource client, RetryPolicy retry) {
        this.client = client;
        this.retry = retry;
    }

    /**
     * Fetches {@code descriptor}'s blob into {@code sink}.
     *
     * @throws RegistryException {@code DIGEST_MISMATCH} when the bytes are wrong (the sink then holds them;
     *     the caller decides what to do with a bad file), or the transport's classified failures
     * @throws E the sink's own failure, as it threw it
     */
    public <E extends IOException> void fetch(
            ImageReference ref, Descriptor descriptor, BlobSink<E> sink, FetchProgress progress) throws E {
        Digest expected = Digest.parse(descriptor.digest());
        long size = descriptor.size();
        String what = ref.blobName(descriptor.digest());
        if (sink.position() > size) {
            sink.discard();
        }
        MessageDigest digest = expected.newHasher();
        sink.hashExisting(digest);
        progress.started(size, sink.position());
        try (BackgroundHasher hasher = new BackgroundHasher(digest, BUFFERS, BUFFER)) {
            receiveAll(ref, descriptor, sink, hasher, progress, what);
            expected.check(hasher.digest(), what);
        } catch (SinkFailure f) {
            throw f.<E>original();
        }
    }

    /**
     * A sink's failure on its way out of {@link #receiveAll}, past the retries, which are for the network's
     * failures only (the sink's are IOExceptions too).
     */
    private static final class SinkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SinkFailure(IOException cause) {
            super(cause);
        }

        /** The sink's exception: only what {@link BlobSink#write} threw is ever carried, which is an E. */
        @SuppressWarnings("unchecked")
        <E extends IOException> E original() {
            return (E) getCause();
        }
    }

    /** Receives the rest of the blob, resuming after transient failures, until the sink holds all of it. */
    private void receiveAll(
            ImageReference ref,
            Descriptor descriptor,
            BlobSink<?> sink,
            BackgroundHasher hasher,
            FetchProgress progress,
            String what) {
        long size = descriptor.size();
        DownloadAttempts attempts = new DownloadAttempts(retry, what, size, sink.position());
        while (true) {
            long position = sink.position();
            try {
                if (position < size || size == 0) {
                    try {
                        receive(ref, descriptor, sink, hasher, progress, position, what);
                    } catch (RegistryException e) {
                        if (e.kind() != Kind.NETWORK) {
                            throw e;
                        }
                        // The transport has already spent its retries reaching the server; say what the user can do.
                        throw new RegistryException(Kind.NETWORK, e.getMessage() + rerunHint(sink), e.getCause());
                    }
                }
                if (sink.position() < size) {
                    throw new IOException("the connection ended after " + sink.position() + " of " + size + " bytes");
                }
                break;
            } catch (IOException e) {
                Duration delay = attempts.failed(e, sink.position(), rerunHint(sink));
                progress.retrying(sink.position(), e.getMessage());
                retry.sleep(delay);
            }
        }
    }

    /** A file sink keeps its bytes for the next run; a stream cannot, so only a file run "resumes". */
    private static String rerunHint(BlobSink<?> sink) {
        return sink.canDiscard() && sink.position() > 0
                ? "; run the command again to resume"
                : "; run the command again";
    }

    private void receive(
            ImageReference ref,
            Descriptor descriptor,
            BlobSink<?> sink,
            BackgroundHasher hasher,
            FetchProgress progress,
            long position,
            String what)
            throws IOException {
        ParallelRangeStream.Opening opening = ParallelRangeStream.open(client, ref, descriptor, position);
        if (opening.parallel() != null) {
            // Chunks arrive in order, each checked against its range: the stream ends exactly at the blob's end.
            try (ParallelRangeStream in = opening.parallel()) {
                copy(in, descriptor.size(), sink, hasher, progress, what);
            }
            return;
        }
        try (HttpResponseStream response = opening.single()) {
            long size = descriptor.size();
            if (response.status() == 416) {
                // Ranges are only asked for below the descriptor's size: the registry's copy is shorter than that.
                OptionalLong total = contentRangeTotal(response);
                if (total.isEmpty()) {
                    throw SizeMismatch.endsBefore(what, position, size);
                }
                if (total.getAsLong() != size) {
                    throw SizeMismatch.held(what, total.getAsLong(), size);
                }
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE,
                        what + ": the registry refused bytes from " + position + " (HTTP 416) of a blob it says is "
                                + size + " bytes long; try again later");
            }
            long skip = 0;
            if (response.status() == 206) {
                long start = contentRangeStart(response);
                if (start != position) {
                    throw new RegistryException(
                            Kind.MALFORMED_RESPONSE,
                            what + ": asked for bytes from " + position + " but the server sent a range starting at "
                                    + start);
                }
                OptionalLong total = contentRangeTotal(response);
                if (total.isPresent() && total.getAsLong() != size) {
                    throw SizeMismatch.held(what, total.getAsLong(), size);
                }
            } else if (position > 0) {
                // 200 to a range request: the whole blob again. Skip what we already have.
                skip = position;
            }
            InputStream in = response.body();
            while (skip > 0) {
                long skipped = in.skip(skip);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        if (response.endIsComplete()) {
                            throw SizeMismatch.served(what, position - skip, size);
                        }
                        throw new IOException("the connection ended while skipping the bytes already held");
                    }
                    skipped = 1;
                }
                skip -= skipped;
            }
            copy(in, size, sink, hasher, progress, what);
            // The whole blob, ended where the server meant it to (a cut Content-Length body throws, see
            // endIsComplete), yet short: that is the registry's copy, and resuming would get no more.
            // A short 206 may just be a smaller range than asked; it is resumed like a cut.
            if (response.status() == 200 && response.endIsComplete() && sink.position() < size) {
                throw SizeMismatch.served(what, sink.position(), size);
            }
        }
    }

    /**
     * Passes {@code in}'s bytes to the sink and the hasher until it ends, or breaks: then what arrived before the
     * break is kept (a retry resumes after it) and the failure thrown.
     */
    private static void copy(
            InputStream in, long size, BlobSink<?> sink, BackgroundHasher hasher, FetchProgress progress, String what)
            throws IOException {
        while (true) {
            byte[] buffer = hasher.buffer();
            int n = 0;
            boolean end = false;
            Exception broken = null;
            try {
                // Fill the whole buffer: fewer, larger writes and hand-offs to the hashing thread.
                while (n < buffer.length) {
                    int r = in.read(buffer, n, buffer.length - n);
                    if (r < 0) {
                        end = true;
                        break;
                    }
                    n += r;
                }
            } catch (IOException | RuntimeException e) {
                broken = e; // keep what arrived before the break: the retry resumes after it
            }
            if (n == 0) {
                hasher.release(buffer);
            } else {
                if (sink.position() + n > size) {
                    hasher.release(buffer);
                    throw SizeMismatch.longer(what, size);
                }
                try {
                    sink.write(buffer, 0, n);
                } catch (IOException e) {
                    hasher.release(buffer);
                    throw new SinkFailure(e);
                }
                hasher.hash(buffer, n);
                progress.advanced(n);
            }
            if (broken instanceof IOException e) {
                throw e;
            }
            if (broken != null) {
                throw (RuntimeException) broken;
            }
            if (end) {
                return;
            }
        }
    }

    /**
     * The TOTAL of {@code Content-Range: bytes START-END/TOTAL} (a 206) or {@code bytes *}{@code /TOTAL} (a 416):
     * the length of the server's copy; empty when the header is missing or says {@code *}.
     */
    static OptionalLong contentRangeTotal(HttpResponseStream response) {
        Matcher m = CONTENT_RANGE.matcher(
                response.header("Content-Range").orElse("").trim());
        return m.matches() && !m.group(2).equals("*")
                ? OptionalLong.of(Long.parseLong(m.group(2)))
                : OptionalLong.empty();
    }

    /** The first byte position of {@code Content-Range: bytes START-END/TOTAL}. */
    static long contentRangeStart(HttpResponseStream response) {
        String value = response.header("Content-Range").orElse("");
        Matcher m = CONTENT_RANGE.matcher(value.trim());
        if (!m.matches() || m.group(1) == null) {
            throw new RegistryException(
                    Kind.MALFORMED_RESPONSE, "206 answer without a valid Content-Range (\"" + value + "\")");
        }
        return Long.parseLong(m.group(1));
    }
}
