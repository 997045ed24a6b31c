package dev.regx.registry.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;

class StallGuardInputStreamTest {
    /** The clock the guard reads, in nanoseconds; the source below moves it as if each read had blocked. */
    private long now;

    /** Hands out {@code bytesPerRead} bytes per read, each read "taking" {@code millisPerRead}, without end. */
    private InputStream source(int bytesPerRead, long millisPerRead) {
        return new InputStream() {
            @Override
            public int read() {
                now += millisPerRead * 1_000_000L;
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                now += millisPerRead * 1_000_000L;
                int n = Math.min(len, bytesPerRead);
                java.util.Arrays.fill(b, off, off + n, (byte) 'x');
                return n;
            }
        };
    }

    private StallGuardInputStream guarded(InputStream source) {
        return new StallGuardInputStream(source, 60_000, () -> now);
    }

    @Test
    void aDripOfABytePerTwoSecondsIsAStallOnceAWindowHasPassed() {
        InputStream drip = guarded(source(1, 2_000));
        byte[] buffer = new byte[8192];

        assertThatThrownBy(() -> {
                    while (true) {
                        drip.read(buffer, 0, buffer.length);
                    }
                })
                .isInstanceOf(SocketTimeoutException.class)
                .hasMessage("the server sent only 30 bytes in 60 s, too slow to wait for");
        assertThat(now).isEqualTo(60_000_000_000L);
    }

    @Test
    void singleByteReadsAreWatchedToo() {
        InputStream drip = guarded(source(1, 2_000));

        assertThatThrownBy(() -> {
                    while (true) {
                        drip.read();
                    }
                })
                .isInstanceOf(SlowResponseException.class);
    }

    @Test
    void aSlowButSteadyBodyIsReadToAnyLength() throws IOException {
        InputStream slow = guarded(source(40, 1_000)); // 40 bytes a second: 2,400 in a window
        byte[] buffer = new byte[8192];
        long total = 0;
        while (total < 1_000_000) {
            total += slow.read(buffer, 0, buffer.length);
        }

        assertThat(now).as("hours of reading").isGreaterThan(3_600_000_000_000L);
    }

    @Test
    void timeTheReaderSpendsBetweenReadsIsNotTheServersSlowness() throws IOException {
        InputStream fast = guarded(source(100, 0)); // the bytes are there at once
        byte[] buffer = new byte[100];
        for (int i = 0; i < 100; i++) {
            now += 10_000_000_000L; // ten seconds of the reader doing other things
            assertThat(fast.read(buffer, 0, buffer.length)).isEqualTo(100);
        }
    }
}
