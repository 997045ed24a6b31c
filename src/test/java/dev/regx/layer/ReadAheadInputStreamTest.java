package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {
    private static byte[] bytes(int n) {
        byte[] data = new byte[n];
        new Random(n).nextBytes(data);
        return data;
    }

    @Test
    void passesEveryByteInOrder() throws IOException {
        byte[] data = bytes(1_000_003);
        try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), 4096, 3, 1000)) {
            assertThat(in.read()).isEqualTo(data[0] & 0xff);
            byte[] rest = in.readAllBytes();
            assertThat(rest.length).isEqualTo(data.length - 1);
            assertThat(rest).isEqualTo(java.util.Arrays.copyOfRange(data, 1, data.length));
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void failureComesAfterTheBytesBeforeItAsTheSameObject() throws IOException {
        byte[] data = bytes(10_000);
        IOException cut = new IOException("cut");
        InputStream failing = new InputStream() {
            int position;

            @Override
            public int read() throws IOException {
                throw new AssertionError("not used");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (position == data.length) {
                    throw cut;
                }
                int n = Math.min(len, data.length - position);
                System.arraycopy(data, position, b, off, n);
                position += n;
                return n;
            }
        };
        try (InputStream in = new ReadAheadInputStream(failing, 64 * 1024, 2, 1000)) {
            byte[] got = in.readNBytes(data.length);
            assertThat(got).isEqualTo(data);
            assertThatThrownBy(in::read).isSameAs(cut);
            assertThatThrownBy(in::read).isSameAs(cut);
        }
    }

    @Test
    void runtimeFailuresPassUnchanged() throws IOException {
        IllegalStateException bad = new IllegalStateException("digest mismatch");
        InputStream failing = new InputStream() {
            @Override
            public int read() {
                throw bad;
            }
        };
        try (InputStream in = new ReadAheadInputStream(failing, 1024, 2, 1024)) {
            assertThatThrownBy(in::read).isSameAs(bad);
        }
    }

    @Test
    void closeStopsReadingAndLeavesTheRestOfTheSourceToTheCaller() throws IOException {
        byte[] data = bytes(10 * 1024 * 1024);
        ByteArrayInputStream source = new ByteArrayInputStream(data);
        InputStream unclosable = new java.io.FilterInputStream(source) {
            @Override
            public void close() {}
        };
        InputStream in = new ReadAheadInputStream(unclosable, 4096, 4, 4096);
        assertThat(in.readNBytes(10)).isEqualTo(java.util.Arrays.copyOf(data, 10));
        in.close();
        // The reader thread is gone: what it took is bounded by its buffers, and the rest stays put.
        long left = source.available();
        assertThat(left).isGreaterThanOrEqualTo(data.length - 5L * 4096);
        assertThat(source.available()).isEqualTo(left);
        assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("Stream closed");
    }
}
