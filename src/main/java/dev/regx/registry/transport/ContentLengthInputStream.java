package dev.regx.registry.transport;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body that must be exactly {@code Content-Length} bytes long. The JDK's HTTP client reports a
 * connection closed early as a normal end of stream; here it is an {@link EOFException}, so a cut manifest
 * is retried like any broken connection instead of being parsed as truncated JSON, and a cut blob is
 * resumed rather than hashed short. google-http-client's own check under this one notices a cut only once
 * some bytes arrived, and says it in its words; both come out here as one failure in regx's words.
 */
final class ContentLengthInputStream extends FilterInputStream {
    private final long length;
    private long remaining;

    ContentLengthInputStream(InputStream in, long length) {
        super(in);
        this.length = length;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        int b;
        try {
            b = in.read();
        } catch (IOException e) {
            throw cut(e);
        }
        if (b < 0) {
            return endOfStream();
        }
        remaining--;
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        int n;
        try {
            n = in.read(buffer, offset, count);
        } catch (IOException e) {
            throw cut(e);
        }
        if (n < 0) {
            return endOfStream();
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(n);
        remaining -= skipped;
        return skipped;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /**
     * google-http-client's "Connection closed prematurely: bytesRead = N, Content-Length = M" (a plain
     * IOException, thrown where the JDK saw the end of a body still owed bytes) as this stream's own failure;
     * any other failure as it came.
     */
    private IOException cut(IOException e) {
        if (remaining > 0
                && e.getClass() == IOException.class
                && String.valueOf(e.getMessage()).startsWith(PREMATURE)) {
            EOFException own =
                    new EOFException("connection closed after " + (length - remaining) + " of " + length + " bytes");
            own.initCause(e);
            return own;
        }
        return e;
    }

    private static final String PREMATURE = "Connection closed prematurely";

    private int endOfStream() throws EOFException {
        if (remaining > 0) {
            throw new EOFException("connection closed after " + (length - remaining) + " of " + length + " bytes");
        }
        return -1;
    }
}
