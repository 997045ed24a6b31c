package dev.regx.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Skips by reading into a large scratch buffer. Listing a layer skips almost every byte of it, and the
 * decompressors' own {@code skip} methods read a few hundred bytes per call (InflaterInputStream uses 512), which
 * turns a gigabyte of file contents into millions of small native calls.
 */
final class SkipByReadingInputStream extends FilterInputStream {
    private final byte[] scratch;

    SkipByReadingInputStream(InputStream in, int scratchSize) {
        super(in);
        this.scratch = new byte[scratchSize];
    }

    @Override
    public long skip(long n) throws IOException {
        long remaining = n;
        while (remaining > 0) {
            int read = in.read(scratch, 0, (int) Math.min(scratch.length, remaining));
            if (read < 0) {
                break;
            }
            remaining -= read;
        }
        return n - remaining;
    }
}
