package dev.regx.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

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
    private static final byte[] STOP = new byte[0];

    /** A filled buffer, or the end ({@code data == null}): {@code failure} null at a normal end of stream. */
    private record Chunk(byte[] data, int length, Throwable failure) {}

    private final InputStream source;
    private final int sourceReadSize;
    private final BlockingQueue<byte[]> free = new LinkedBlockingQueue<>();
    private final BlockingQueue<Chunk> filled;
    private final Thread reader;
    private volatile boolean closed;
    private Chunk current;
    private int position;
    private Chunk end;

    /**
     * @param bufferSize bytes handed over at a time
     * @param buffers how many buffers circulate (at least 2 for any overlap)
     * @param sourceReadSize the most asked of the source in one read: a decompressor that fails (a truncated
     *     layer) loses what it had produced in the failing call, so this bounds what a failure can hide
     */
    ReadAheadInputStream(InputStream source, int bufferSize, int buffers, int sourceReadSize) {
        this.source = source;
        this.sourceReadSize = sourceReadSize;
        for (int i = 0; i < buffers; i++) {
            free.add(new byte[bufferSize]);
        }
        // Room for every buffer and the end marker: the reader never blocks handing over, only waiting for a
        // free buffer.
        this.filled = new ArrayBlockingQueue<>(buffers + 1);
        this.reader = new Thread(this::readAhead, "regx-layer-read-ahead");
        reader.setDaemon(true);
        reader.start();
    }

    private void readAhead() {
        try {
            while (true) {
                byte[] buffer = free.take();
                if (closed || buffer == STOP) {
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
                        filled.add(new Chunk(buffer, length, null));
                    }
                    throw t;
                }
                if (length > 0) {
                    filled.add(new Chunk(buffer, length, null));
                }
                if (length < buffer.length) {
                    filled.add(new Chunk(null, 0, null));
                    return;
                }
            }
        } catch (InterruptedException e) {
            filled.offer(new Chunk(null, 0, new InterruptedIOException("layer read-ahead interrupted")));
        } catch (Throwable t) {
            filled.offer(new Chunk(null, 0, t));
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
                free.add(current.data);
                current = null;
            }
            if (end == null) {
                Chunk next;
                try {
                    next = filled.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted waiting for layer data");
                }
                if (next.data != null) {
                    current = next;
                    position = 0;
                    continue;
                }
                end = next;
            }
            Throwable failure = end.failure;
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
        free.add(STOP);
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
