package dev.regx.cli;

import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream that passes bytes on to another and remembers the first write or flush that failed. It
 * sits under regx's stdout PrintWriter, which swallows IOExceptions (and {@code checkError()} only says
 * that something failed, not what): this one keeps the exception, so the command can tell a reader that
 * left (a broken pipe) from a full disk.
 *
 * <p>Once a write has failed, later writes and flushes fail with the same exception without reaching the
 * stream: output with a hole in the middle is worse than output that stops.
 */
final class FailureRecordingOutputStream extends OutputStream {
    private final OutputStream target;
    /** Volatile: asked without a lock, and the thread that asks need not be the one that wrote. */
    private volatile IOException failure;

    FailureRecordingOutputStream(OutputStream target) {
        this.target = target;
    }

    /** The first exception a write or flush threw, or null while none has failed. */
    IOException failure() {
        return failure;
    }

    @Override
    public void write(int b) throws IOException {
        refuseAfterFailure();
        try {
            target.write(b);
        } catch (IOException e) {
            throw record(e);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        refuseAfterFailure();
        try {
            target.write(bytes, offset, length);
        } catch (IOException e) {
            throw record(e);
        }
    }

    @Override
    public void flush() throws IOException {
        refuseAfterFailure();
        try {
            target.flush();
        } catch (IOException e) {
            throw record(e);
        }
    }

    /** Does not close the target: regx never closes its stdout, the JVM does at exit. */
    @Override
    public void close() throws IOException {
        flush();
    }

    private void refuseAfterFailure() throws IOException {
        IOException first = failure;
        if (first != null) {
            throw first;
        }
    }

    private synchronized IOException record(IOException e) {
        if (failure == null) {
            failure = e;
        }
        return e;
    }
}
