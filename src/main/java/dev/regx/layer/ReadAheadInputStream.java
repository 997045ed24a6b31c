package dev.regx.layer;

import dev.regx.Handoff;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads its source on a thread of its own, a few buffers ahead of the consumer. Listing a compressed layer is
 * two CPU-bound jobs in a row, inflating (plus receiving and hashing the blob) and parsing tar headers; this
 * puts the first on a second core. Memory stays bounded: {@code buffers} buffers of {@code bufferSize} bytes
 * circulate between the two threads, nothing else is held.
 *
 * <p>Failures of the source (IOException, the digest check's RuntimeException, anything) are handed over in
 * order and rethrown as the very same object from the consumer's read, after the bytes that came before them,
 * so callers see what they would have seen reading the source directly.
 *
 * <p>{@link #close()} stops the reading thread and waits for it (it may be inside one read of the source), then
 * closes the source: after close returns, nothing touches the source any more, so whatever lies under it can
 * be read on by the caller's thread (as {@code VerifiedBlobStream.verifyRest()} does).
 */
final class ReadAheadInputStream extends InputStream {
    /** A filled buffer: its first {@code length} bytes. */
    private record Chunk(byte[] data, int length) {}

    private final InputStream source;
    private final int sourceReadSize;
    private final Handoff<byte[], Chunk> handoff;
    private final Thread reader;
    private volatile boolean closed;
    private Chunk current;
    private int position;
    /** Whether the reader has ended (the end of the source, or its failure: {@link Handoff#failure()}). */
    private boolean ended;

    /**
     * @param bufferSize bytes handed over at a time
     * @param buffers how many buffers circulate (at least 2 for any overlap)
     * @param sourceReadSize the most asked of the source in one read: a decompressor that fails (a truncated
     *     layer) loses what it had produced in the failing call, so this bounds what a failure can hide
     */
    ReadAheadInputStream(InputStream source, int bufferSize, int buffers, int sourceReadSize) {
        this.source = source;
        this.sourceReadSize = sourceReadSize;
        List<byte[]> all = new ArrayList<>();
        for (int i = 0; i < buffers; i++) {
            all.add(new byte[bufferSize]);
        }
        this.handoff = new Handoff<>(all);
        this.reader = new Thread(this::readAhead, "regx-layer-read-ahead");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead() {
        try {
            while (true) {
                byte[] buffer = handoff.buffer();
                if (buffer == null) {
                    return;
                }
                int length = 0;
                try {
                    while (length < buffer.length) {
                        int n = source.read(buffer, length, Math.min(buffer.length - length, sourceReadSize));
                        if (n < 0) {
                            break;
                        }
                        length += n;
                    }
                } catch (Throwable t) {
                    // The bytes read before the failure first: a layer cut short still lists up to the cut.
                    if (length > 0) {
                        handoff.put(new Chunk(buffer, length));
                    }
                    throw t;
                }
                if (length > 0) {
                    handoff.put(new Chunk(buffer, length));
                }
                if (length < buffer.length) {
                    handoff.end();
                    return;
                }
            }
        } catch (InterruptedException e) {
            handoff.end(new InterruptedIOException("layer read-ahead interrupted"));
        } catch (Throwable t) {
            handoff.end(t);
        }
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return current.data[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current.data, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return current == null ? 0 : current.length - position;
    }

    /** Makes {@code current} a chunk with bytes left; false at the end of the source; rethrows its failure. */
    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("Stream closed");
        }
        while (current == null || position == current.length) {
            if (current != null) {
                handoff.giveBack(current.data);
                current = null;
            }
            if (!ended) {
                Chunk next;
                try {
                    next = handoff.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for layer data");
                }
                if (next != null) {
                    current = next;
                    position = 0;
                    continue;
                }
                ended = true;
            }
            Throwable failure = handoff.failure();
            if (failure == null) {
                return false;
            }
            if (failure instanceof IOException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) failure;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        handoff.stop();
        boolean interrupted = false;
        while (true) {
            try {
                reader.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // the reader must be done with the source before anyone else uses it
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
