package dev.regx.save;

import dev.regx.registry.blob.BlobSink;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.OptionalLong;

/**
 * Writes a download to {@code NAME.part} beside its final name and renames it into place only once it
 * is complete, verified and on disk, so a file under the final name is always whole. An interrupted run
 * leaves the {@code .part}, which the next run resumes. A {@code .part} exists only while it holds bytes
 * worth resuming (or is being written): it is created with the first byte, and one left empty is removed.
 *
 * <p>Bytes go to disk with O_DIRECT where the file system suits it ({@link DirectIoWriter}), through the
 * page cache elsewhere.
 */
public final class PartFileSink implements BlobSink<LocalWriteException>, AutoCloseable {
    private final Path target;
    private final Path part;
    private final boolean directIo;
    /** Null until there is a {@code .part}: one left by an earlier run, or ours from the first byte on. */
    private FileChannel channel;
    /** Whether this run holds the lock on {@link #channel}, so the {@code .part} is ours to remove. */
    private boolean locked;
    /** Null when writes go through the page cache. */
    private DirectIoWriter direct;

    private long position;
    /** Whether {@link #commit} forced the file to disk (tests of when it must). */
    private boolean forcedAtCommit;

    public PartFileSink(Path target) throws LocalWriteException {
        this(target, true);
    }

    /**
     * Takes over the {@code .part} an earlier run left, if there is one; otherwise the {@code .part} is created
     * when the first byte arrives, so a download that fails before it (a missing blob, a server error, a host
     * that cannot be reached) leaves nothing behind. With {@code directIo} false, always through the page cache
     * (tests of that path).
     */
    PartFileSink(Path target, boolean directIo) throws LocalWriteException {
        this.target = target;
        this.part = partOf(target);
        this.directIo = directIo;
        if (Files.exists(part, LinkOption.NOFOLLOW_LINKS)) {
            refuseForeignPart();
            open(false);
        }
    }

    /**
     * A {@code .part} to resume must be a file of the running user's own: one that is a link would have the
     * download written wherever it points, and one of another user's (planted in a shared directory) would be
     * renamed into place still owned, and writable, by them after regx verified it.
     */
    private void refuseForeignPart() throws LocalWriteException {
        if (Files.isSymbolicLink(part)) {
            throw new LocalWriteException(
                    "refusing to resume " + part + ": it is a symbolic link; remove it, or save elsewhere with -o",
                    null);
        }
        OptionalLong owner;
        try {
            owner = FileOwner.foreignOwner(part, false);
        } catch (IOException e) {
            return; // gone since we looked: open() tells a vanished .part from a busy one
        }
        if (owner.isPresent()) {
            throw new LocalWriteException(
                    "refusing to resume " + part + ": it belongs to uid " + owner.getAsLong()
                            + ", not to you; remove it, or save elsewhere with -o",
                    null);
        }
    }

    /** Opens and locks the {@code .part}: the existing one ({@code create} false), or a new one. */
    private void open(boolean create) throws LocalWriteException {
        Object key = null;
        try {
            if (create) {
                // CREATE_NEW: if another run created it since we looked, its bytes are not ours to append to.
                channel = FileChannel.open(
                        part, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } else {
                key = fileKey();
                // NOFOLLOW_LINKS: a link put in its place since the check above is refused by the kernel (ELOOP).
                channel = FileChannel.open(
                        part, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
            }
        } catch (FileAlreadyExistsException e) {
            throw busy();
        } catch (NoSuchFileException e) {
            // Gone between our look and our open: the run that held it finished or gave it up.
            throw create ? new LocalWriteException("cannot write " + part + ": " + reason(e), e) : busy();
        } catch (IOException e) {
            throw new LocalWriteException("cannot write " + part + ": " + reason(e), e);
        }
        if (!lock(channel) || (key != null && !key.equals(fileKeyOrNull()))) {
            // Locked by another run; or removed by the run that held it (an empty .part it gave up), perhaps
            // created anew since, while we were opening it: what we have open is not, or no longer, the .part.
            close();
            throw busy();
        }
        locked = true;
        try {
            this.position = channel.size();
            channel.position(position);
            if (directIo) {
                this.direct = DirectIoWriter.open(part, channel, position);
            }
        } catch (IOException e) {
            close();
            throw new LocalWriteException("cannot write " + part + ": " + reason(e), e);
        }
    }

    private LocalWriteException busy() {
        return new LocalWriteException(
                part + " is being written by another regx: wait for it, or remove the .part" + " if no regx is running",
                null);
    }

    private Object fileKey() throws IOException {
        return Files.readAttributes(part, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                .fileKey();
    }

    private Object fileKeyOrNull() {
        try {
            return fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Takes the {@code .part} for this run: two runs saving the same layer to the same place (parallel CI jobs
     * sharing a directory) would otherwise interleave their bytes and both end in a digest mismatch. The lock
     * goes with the channel. Where the file system has no locks, there is nothing to take and the run goes on.
     */
    private static boolean lock(FileChannel channel) {
        try {
            return channel.tryLock() != null;
        } catch (OverlappingFileLockException e) {
            return false; // held by this very process
        } catch (IOException e) {
            return true;
        }
    }

    /** Whether bytes go to disk with O_DIRECT rather than through the page cache. */
    boolean writesDirect() {
        return direct != null;
    }

    boolean forcedAtCommit() {
        return forcedAtCommit;
    }

    public static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    @Override
    public long position() {
        return position;
    }

    @Override
    public void hashExisting(MessageDigest hasher) throws LocalWriteException {
        if (position == 0) {
            return;
        }
        try {
            hashPrefix(part, position, hasher);
        } catch (IOException e) {
            throw new LocalWriteException("cannot read " + part + " to resume: " + reason(e), e);
        }
    }

    /** Feeds the first {@code length} bytes of {@code file} (or all of it, if shorter) to {@code hasher}. */
    static void hashPrefix(Path file, long length, MessageDigest hasher) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 20];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                hasher.update(buffer, 0, n);
                left -= n;
            }
        }
    }

    @Override
    public void write(byte[] buffer, int offset, int length) throws LocalWriteException {
        if (channel == null) {
            open(true);
        }
        try {
            if (direct != null) {
                direct.append(buffer, offset, length);
            } else {
                ByteBuffer b = ByteBuffer.wrap(buffer, offset, length);
                while (b.hasRemaining()) {
                    channel.write(b);
                }
            }
            position += length;
        } catch (IOException e) {
            throw new LocalWriteException("cannot write " + part + ": " + reason(e), e);
        }
    }

    @Override
    public void discard() throws LocalWriteException {
        if (channel == null) {
            return; // holds nothing
        }
        try {
            if (direct != null) {
                direct.restartAt(0); // waits for writes in flight, which would land after the truncation
            }
            channel.truncate(0);
            channel.position(0);
            position = 0;
        } catch (IOException e) {
            throw new LocalWriteException("cannot truncate " + part + ": " + reason(e), e);
        }
    }

    @Override
    public boolean canDiscard() {
        return true;
    }

    /**
     * Renames the {@code .part} to the final name, atomically where the file system can, once its bytes are where a
     * crash cannot take them from under that name.
     *
     * <p>A file this run wrote whole with O_DIRECT (ext4, xfs) is renamed without an fsync: its bytes are on the
     * device when each write returns, and the file system commits the rename in its journal only after a flush of
     * the device's cache (ext4 and xfs write every commit with a pre-flush, unless mounted without barriers, which
     * gives up durability altogether), so a crash leaves either the {@code
     * .part} or the whole file under its name. The fsync would only make the rename itself durable before regx exits,
     * and it costs the wait for the device to flush its cache: on a virtual disk that is the host writing out all of
     * the layer, 0.3-0.8 s for 1.1 GB on the 2-core VMs regx is built on, after the last byte had arrived. Bytes
     * that went through the page cache (another file system, a fallback after a failed O_DIRECT write, the part an
     * earlier run wrote) are not covered by that flush, and are forced to disk first.
     */
    public void commit() throws LocalWriteException {
        if (channel == null) {
            open(true); // an empty blob: no byte ever came
        }
        try {
            boolean allOnTheDevice = false;
            if (direct != null) {
                allOnTheDevice = direct.finish();
                direct.close();
                direct = null;
            }
            if (!allOnTheDevice) {
                channel.force(true);
            }
            forcedAtCommit = !allOnTheDevice;
            channel.close();
        } catch (IOException e) {
            // The last writes, or their flush to disk, failed: a full disk shows here as often as in write().
            throw new LocalWriteException("cannot write " + part + ": " + reason(e), e);
        }
        try {
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new LocalWriteException("cannot move " + part + " to " + target + ": " + reason(e), e);
        }
    }

    /**
     * Removes the {@code .part}: its bytes are known to be wrong and resuming from them cannot succeed. Only
     * one this run holds: a failure before the first byte (a size mismatch told by the headers) has opened
     * nothing, and the {@code .part} at that path may be another run's, just created.
     */
    public void delete() {
        boolean ours = locked;
        close(false);
        if (!ours) {
            return;
        }
        try {
            Files.deleteIfExists(part);
        } catch (IOException ignored) {
            // Best effort; the next run will find the digest wrong again and say so.
        }
    }

    /** Keeps what has been written so far, for the next run to resume from (if anything), and closes the file. */
    @Override
    public void close() {
        close(true);
    }

    private void close(boolean keepPending) {
        try {
            if (direct != null) {
                try {
                    if (keepPending) {
                        direct.flush();
                    }
                } finally {
                    direct.close();
                    direct = null;
                }
            }
        } catch (IOException ignored) {
            // Closing after a failure; the original failure is what the user needs to hear about. The file
            // still holds a prefix of the blob, which is all a resume needs.
        }
        if (keepPending) {
            removeIfEmpty();
        }
        try {
            if (channel != null && channel.isOpen()) {
                channel.close();
            }
        } catch (IOException ignored) {
            // As above.
        }
    }

    /**
     * Removes the {@code .part} if it holds nothing (it was started over, then the download failed before the
     * first byte came): there is nothing to resume, and an empty file would only look like a download in
     * progress. Only while the lock is ours, before the channel (and with it the lock) is let go: a file
     * another run is writing is never removed.
     */
    private void removeIfEmpty() {
        try {
            if (locked && channel != null && channel.isOpen() && channel.size() == 0) {
                Files.deleteIfExists(part);
            }
        } catch (IOException ignored) {
            // Best effort: an empty .part costs the next run nothing.
        }
    }

    /** The exception's message, which for file errors is usually the OS's own ("No space left on device"). */
    static String reason(IOException e) {
        String m = e.getMessage();
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such directory";
        }
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
