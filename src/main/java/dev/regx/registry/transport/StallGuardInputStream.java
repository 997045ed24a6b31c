package dev.regx.registry.transport;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;

/**
 * A response body that must keep moving. The socket's read timeout fires only when no byte at all arrives for
 * its whole length, so a server that sends one byte every few seconds would hold regx forever, silently. Here,
 * fewer than {@link #MIN_BYTES_PER_WINDOW} bytes arriving while regx waits a whole read-timeout's worth of time on
 * the socket is a stall too, reported as a {@link SlowResponseException} (a {@code SocketTimeoutException}), so
 * every caller treats it as it treats a timeout: blob downloads retry from the bytes they have (with a notice),
 * small documents fail with exit 6.
 *
 * <p>Only the time spent blocked in the socket counts, not the time between reads: a reader that pauses (a
 * {@code ls | less} the user is scrolling, a slow disk behind {@code save}) is not the server being slow.
 */
final class StallGuardInputStream extends FilterInputStream {
    /** About 17 bytes a second with the default 60 s read timeout: far below any link worth waiting for. */
    static final int MIN_BYTES_PER_WINDOW = 1024;

    private final long windowNanos;
    private final LongSupplier nanoClock;
    private long waitedNanos;
    private long bytesInWindow;

    StallGuardInputStream(InputStream in, long windowMillis, LongSupplier nanoClock) {
        super(in);
        this.windowNanos = windowMillis * 1_000_000L;
        this.nanoClock = nanoClock;
    }

    @Override
    public int read() throws IOException {
        long start = nanoClock.getAsLong();
        int b = in.read();
        account(start, b < 0 ? 0 : 1);
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        long start = nanoClock.getAsLong();
        int n = in.read(buffer, offset, count);
        account(start, Math.max(n, 0));
        return n;
    }

    private void account(long start, int bytes) throws SlowResponseException {
        waitedNanos += nanoClock.getAsLong() - start;
        bytesInWindow += bytes;
        if (waitedNanos < windowNanos) {
            return;
        }
        if (bytesInWindow < MIN_BYTES_PER_WINDOW) {
            throw new SlowResponseException("the server sent only " + bytesInWindow + " bytes in "
                    + Math.round(waitedNanos / 1e9) + " s, too slow to wait for");
        }
        waitedNanos = 0;
        bytesInWindow = 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
