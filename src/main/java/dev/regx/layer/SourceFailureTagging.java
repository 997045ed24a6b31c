package dev.regx.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Marks I/O failures of the blob stream itself (a reset connection, a read timeout) so that {@link LayerReader}
 * can tell them from corrupt data after the decompressor and tar reader have passed them along: the first is the
 * network's fault and the caller may retry, the second is the layer's and retrying will not help.
 */
final class SourceFailureTagging extends FilterInputStream {

    /** Wraps a failure of the underlying stream while it travels through the decoders. */
    static final class SourceFailure extends IOException {
        SourceFailure(IOException cause) {
            super(cause.getMessage(), cause);
        }

        IOException original() {
            return (IOException) getCause();
        }
    }

    SourceFailureTagging(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        try {
            return in.read();
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return in.read(b, off, len);
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return in.skip(n);
        } catch (IOException e) {
            throw new SourceFailure(e);
        }
    }

    /** The source's own failure if {@code failure} is or wraps one, else null. */
    static IOException sourceFailureIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SourceFailure sourceFailure) {
                return sourceFailure.original();
            }
        }
        return null;
    }
}
