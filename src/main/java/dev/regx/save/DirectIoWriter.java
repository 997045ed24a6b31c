package dev.regx.save;

import com.sun.nio.file.ExtendedOpenOption;
import dev.regx.Handoff;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Appends to a file with O_DIRECT, from a thread of its own, so a layer goes from our buffer to the disk
 * without passing through the page cache.
 *
 * <p>Why: a saved layer must be on disk before it gets its final name, and it is not read back soon. Through
 * the page cache every byte is first copied into the cache by the CPU, then written back by the fsync before
 * the rename, which waits for all of it. With O_DIRECT the device takes the bytes from our buffer, and a file
 * written whole that way needs no fsync before its rename ({@link PartFileSink#commit}). Measured on the 2-core
 * VMs regx is built on, for 1.1 GB: buffered writes plus fsync 2.7-3.0 s, 2.3-2.5 s of it system CPU; O_DIRECT
 * 0.65-1.0 s, 0.15-0.4 s system CPU. The thread lets the device's time overlap with receiving the next chunk from
 * the network.
 *
 * <p>O_DIRECT wants block-aligned buffers, file offsets and lengths, so bytes are gathered in aligned
 * buffers of {@link #CHUNK} and only whole chunks go out that way. The blob's last bytes are padded to a block
 * and cut back after ({@link #finish}); what had arrived when a download stopped ({@link #flush}) is written through
 * the page cache instead, and kept in the buffer: if more follows, the chunk is written again whole.
 *
 * <p>The file always holds a prefix of what was appended: chunks are written in order by one thread, and once
 * a write has failed for good nothing further is written, so an interrupted download can be resumed from the
 * file's length.
 */
final class DirectIoWriter implements AutoCloseable {
    static final int CHUNK = 1 << 20;
    /** One being filled, up to two being written: enough to keep the device busy while the network delivers. */
    private static final int BUFFERS = 3;
    /**
     * Local block-device file systems where O_DIRECT is well supported and fast. Elsewhere (NFS, where each
     * direct write is a synchronous round trip; tmpfs, overlay and FUSE, which may refuse or emulate it; btrfs,
     * which checksums and has had O_DIRECT pitfalls) the page cache is the safer way.
     */
    private static final Set<String> DIRECT_IO_FILE_SYSTEMS = Set.of("ext2", "ext3", "ext4", "xfs");

    /** Bytes to write at {@code position} of the file. */
    private record Chunk(ByteBuffer buffer, long position) {}

    private final FileChannel direct;
    private final FileChannel buffered;
    private final int block;
    private final Handoff<ByteBuffer, Chunk> handoff;
    private final Thread thread;
    /** Set by the writer thread once an O_DIRECT write has failed: the rest goes through the page cache. */
    private boolean buffering;
    /** Whether this run writes the file from its first byte: no earlier run's bytes, perhaps in the page cache. */
    private boolean fromTheStart;
    /** The buffer being filled; its first byte goes to {@link #chunkStart}, a multiple of the block size. */
    private ByteBuffer current;

    private long chunkStart;

    private DirectIoWriter(FileChannel direct, FileChannel buffered, int block) {
        this.direct = direct;
        this.buffered = buffered;
        this.block = block;
        List<ByteBuffer> buffers = new ArrayList<>();
        for (int i = 0; i < BUFFERS; i++) {
            buffers.add(ByteBuffer.allocateDirect(CHUNK + block)
                    .alignedSlice(block)
                    .limit(CHUNK)
                    .slice());
        }
        this.handoff = new Handoff<>(buffers);
        this.thread = new Thread(this::run, "regx-write");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * A writer appending to {@code file} from byte {@code start} on, or {@code null} when its file system is
     * not one to use O_DIRECT on or refuses it; the caller then writes through {@code buffered}, which must be
     * open for reading and writing on the same file.
     */
    static DirectIoWriter open(Path file, FileChannel buffered, long start) throws IOException {
        long block;
        FileChannel direct;
        try {
            FileStore store = Files.getFileStore(file);
            block = store.getBlockSize();
            if (!DIRECT_IO_FILE_SYSTEMS.contains(store.type())
                    || Long.bitCount(block) != 1
                    || block < 512
                    || block > CHUNK) {
                return null;
            }
            // NOFOLLOW_LINKS: the .part was opened without following links; this second open by name must not
            // follow one put in its place meanwhile.
            direct = FileChannel.open(
                    file, StandardOpenOption.WRITE, ExtendedOpenOption.DIRECT, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            // The file system cannot be told or refuses O_DIRECT: the page cache it is. Failures that matter
            // (permissions, a full disk) show on the buffered channel the caller already has.
            return null;
        }
        DirectIoWriter writer = new DirectIoWriter(direct, buffered, (int) block);
        try {
            writer.startAt(start);
        } catch (IOException e) {
            writer.close();
            throw e;
        }
        return writer;
    }

    /**
     * Continues from byte {@code start}: the chunk begins at the block boundary before it, with the bytes the
     * file already holds between the two read back into the buffer.
     */
    private void startAt(long start) throws IOException {
        fromTheStart = start == 0;
        current = take();
        chunkStart = start - start % block;
        current.limit((int) (start - chunkStart));
        while (current.hasRemaining()) {
            if (buffered.read(current, chunkStart + current.position()) < 0) {
                throw new IOException("the file ended while reading back its last block");
            }
        }
        current.limit(current.capacity());
    }

    void append(byte[] bytes, int offset, int length) throws IOException {
        int at = offset;
        int left = length;
        while (left > 0) {
            int n = Math.min(left, current.remaining());
            current.put(bytes, at, n);
            at += n;
            left -= n;
            if (!current.hasRemaining()) {
                throwIfFailed();
                put(new Chunk(current.flip(), chunkStart));
                chunkStart += CHUNK;
                current = take();
            }
        }
    }

    /** Waits for the queued chunks, then writes the pending bytes through the page cache. */
    void flush() throws IOException {
        awaitIdle();
        writeFully(buffered, pending());
    }

    /** The bytes of the buffer being filled, up to its position, as the chunk they begin. */
    private Chunk pending() {
        return new Chunk(current.duplicate().flip(), chunkStart);
    }

    /**
     * Writes the file's last bytes with O_DIRECT too, for a download that is complete: the pending bytes padded with
     * zeros to a whole block, then the file cut back to its length (the cut is metadata, journalled before anything
     * done after it, such as the rename). Where that write fails, they go through the page cache, which either
     * succeeds or fails with the real reason.
     *
     * @return whether every byte of the file went to the device with O_DIRECT in this run: none came from an earlier
     *     run, none through the page cache
     */
    boolean finish() throws IOException {
        awaitIdle();
        int pending = current.position();
        long end = chunkStart + pending;
        if (pending > 0 && !buffering) {
            int padded = (pending + block - 1) / block * block;
            while (current.position() < padded) {
                current.put((byte) 0);
            }
            try {
                writeFully(direct, pending()); // up to the padding's end
            } catch (IOException e) {
                buffering = true;
            }
            current.position(pending);
        }
        if (pending > 0 && buffering) {
            writeFully(buffered, pending());
        }
        if (buffered.size() > end) {
            buffered.truncate(end); // the padding, or what a direct write that failed left past the end
        }
        return fromTheStart && !buffering;
    }

    /** Waits for the queued chunks and starts again from byte {@code start} (after the caller truncated the file). */
    void restartAt(long start) throws IOException {
        awaitIdle();
        handoff.giveBack(current.clear());
        startAt(start);
    }

    /** Waits until the chunks handed to the thread are written (the one being filled is ours). */
    private void awaitIdle() throws IOException {
        try {
            handoff.awaitIdle(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for the disk");
        }
        throwIfFailed();
    }

    private void throwIfFailed() throws IOException {
        if (handoff.failure() instanceof IOException e) {
            throw e;
        }
    }

    private void run() {
        try {
            for (Chunk chunk = handoff.take(); chunk != null; chunk = handoff.take()) {
                if (handoff.failure() == null) {
                    write(chunk);
                }
                handoff.giveBack(chunk.buffer.clear());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes one chunk with O_DIRECT or, once that has failed, through the page cache. A failing O_DIRECT write
     * says little: a write that would cross a file size limit (ulimit -f) or run out of quota is cut short,
     * and a cut that is not block-aligned is refused as "Invalid argument". The chunk is written again
     * through the page cache, which either succeeds (the rest of the file goes that way too) or fails with
     * the real reason ("File too large", "No space left on device", "Disk quota exceeded").
     */
    private void write(Chunk chunk) {
        try {
            if (!buffering) {
                try {
                    writeFully(direct, chunk);
                    return;
                } catch (IOException e) {
                    buffering = true;
                }
            }
            writeFully(buffered, chunk);
        } catch (IOException e) {
            handoff.fail(e); // later chunks are dropped: the file stays a prefix of what was appended
        } catch (RuntimeException e) {
            handoff.fail(new IOException(e.getMessage(), e));
        }
    }

    private static void writeFully(FileChannel channel, Chunk chunk) throws IOException {
        ByteBuffer bytes = chunk.buffer.duplicate();
        long position = chunk.position;
        while (bytes.hasRemaining()) {
            position += channel.write(bytes, position);
        }
    }

    private ByteBuffer take() throws IOException {
        try {
            return handoff.buffer();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for the disk");
        }
    }

    private void put(Chunk chunk) throws IOException {
        try {
            handoff.put(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for the disk");
        }
    }

    /**
     * Stops the thread once the queued chunks are written and closes the O_DIRECT channel; call {@link #flush} first to
     * keep pending bytes.
     */
    @Override
    public void close() throws IOException {
        handoff.end();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            direct.close();
        }
    }
}
