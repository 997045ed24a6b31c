package dev.regx.testing;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Generates one big gzip layer for benchmarks: about {@code mib} MiB COMPRESSED (what a client downloads),
 * tens of thousands of entries in directories of a few hundred, written straight to a file.
 *
 * <p>Why this content: zero-filled files compress to nothing and would measure nothing; pure random bytes
 * make gzip pointless. File bodies are slices of a 4 MiB pool that is half word-salad text, half xorshift
 * noise. Slices start at random offsets far apart, beyond deflate's 32 KiB window, so gzip cannot cheat by
 * back-referencing earlier files, and the whole layer compresses to roughly 60% like real binaries and text
 * do. Generation costs about as much as gzip itself (tens of MB/s on these machines).
 */
public final class BigLayer {
    private static final int POOL_SIZE = 4 << 20;

    /** The layer (in a file) and how many tar entries it has. */
    public record Result(Layer layer, int entryCount) {}

    private BigLayer() {}

    public static Result generate(Path file, int mib) throws IOException {
        byte[] pool = pool();
        long target = (long) mib << 20;
        MessageDigest blobDigest = Digests.newSha256();
        MessageDigest tarDigest = Digests.newSha256();
        Counting blobCount;
        Counting tarCount;
        int entries = 0;
        long x = 0x2545F4914F6CDD1DL;
        try (OutputStream fileOut = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            blobCount = new Counting(fileOut, blobDigest);
            GZIPOutputStream gzip = new GZIPOutputStream(blobCount, 1 << 16);
            tarCount = new Counting(gzip, tarDigest);
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(tarCount, StandardCharsets.UTF_8.name())) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                FileTime mtime = FileTime.from(LayerBuilder.DEFAULT_MTIME);
                int dir = -1;
                while (blobCount.count < target) {
                    if (entries % 300 == 0) {
                        dir++;
                        TarArchiveEntry d = new TarArchiveEntry(String.format("data/d%04d/", dir));
                        d.setMode(0755);
                        d.setUserName("");
                        d.setGroupName("");
                        d.setModTime(mtime);
                        tar.putArchiveEntry(d);
                        tar.closeArchiveEntry();
                        entries++;
                    }
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                    // Mostly small files, some medium: sizes 0..4 KiB (95%) or 4..64 KiB (5%).
                    int size = (int) ((x >>> 1) % 20 == 0 ? 4096 + ((x >>> 20) & 0xEFFF) : (x >>> 24) & 0xFFF);
                    int offset = (int) ((x >>> 32) % (POOL_SIZE - size));
                    TarArchiveEntry e = new TarArchiveEntry(String.format("data/d%04d/file-%07d.dat", dir, entries));
                    e.setMode(0644);
                    e.setUserName("");
                    e.setGroupName("");
                    e.setModTime(mtime);
                    e.setSize(size);
                    tar.putArchiveEntry(e);
                    tar.write(pool, offset, size);
                    tar.closeArchiveEntry();
                    entries++;
                }
                tar.finish();
            }
        }
        String digest = "sha256:" + HexFormat.of().formatHex(blobDigest.digest());
        String diffId = "sha256:" + HexFormat.of().formatHex(tarDigest.digest());
        Layer layer =
                new Layer(Compression.GZIP, digest, blobCount.count, diffId, tarCount.count, List.of(), null, file);
        return new Result(layer, entries);
    }

    private static byte[] pool() {
        byte[] pool = new byte[POOL_SIZE];
        String text = Fixtures.text(99, 64 * 1024);
        byte[] words = text.getBytes(StandardCharsets.US_ASCII);
        long x = 0x9E3779B97F4A7C15L;
        for (int block = 0; block < POOL_SIZE; block += 4096) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            if (((block / 4096) & 1) == 1) {
                for (int i = block; i < block + 4096; i++) {
                    x ^= x << 13;
                    x ^= x >>> 7;
                    x ^= x << 17;
                    pool[i] = (byte) x;
                }
            } else {
                int start = (int) ((x >>> 1) % (words.length - 4096));
                System.arraycopy(words, start, pool, block, 4096);
            }
        }
        return pool;
    }

    /** Counts and hashes what passes through, on its way to the next stream. */
    private static final class Counting extends FilterOutputStream {
        final MessageDigest digest;
        long count;

        Counting(OutputStream out, MessageDigest digest) {
            super(out);
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            digest.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            digest.update(b, off, len);
            count += len;
        }
    }
}
