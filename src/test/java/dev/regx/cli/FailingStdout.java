package dev.regx.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Standard output on a device that fails part-way, as the process's own would: it takes the first
 * {@code limit} bytes, then every write and flush throws {@code IOException(reason)}, the message the JVM
 * gives for the OS's error ("No space left on device" for ENOSPC, "Broken pipe" for EPIPE).
 */
final class FailingStdout extends OutputStream {
    static final String FULL_DISK = "No space left on device";
    static final String BROKEN_PIPE = "Broken pipe";

    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private final int limit;
    private final String reason;
    private boolean failed;
    /** Writes and flushes that reached this stream after it had failed once: regx should send none. */
    int callsAfterFailure;

    private FailingStdout(int limit, String reason) {
        this.limit = limit;
        this.reason = reason;
    }

    /** A disk with room for {@code bytes} more. */
    static FailingStdout fullDiskAfter(int bytes) {
        return new FailingStdout(bytes, FULL_DISK);
    }

    /** A pipe whose reader takes {@code bytes} and then exits, as {@code head -c} does. */
    static FailingStdout brokenPipeAfter(int bytes) {
        return new FailingStdout(bytes, BROKEN_PIPE);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (failed) {
            callsAfterFailure++;
            throw new IOException(reason);
        }
        int room = limit - kept.size();
        if (length <= room) {
            kept.write(bytes, offset, length);
            return;
        }
        // As write(2) in a loop does: what fits goes out, then the error.
        kept.write(bytes, offset, room);
        failed = true;
        throw new IOException(reason);
    }

    @Override
    public void flush() throws IOException {
        if (failed) {
            callsAfterFailure++;
            throw new IOException(reason);
        }
    }

    /** Whether a write has failed. */
    boolean failed() {
        return failed;
    }

    /** What got through before the failure, as UTF-8 text. */
    String kept() {
        return kept.toString(StandardCharsets.UTF_8);
    }
}
