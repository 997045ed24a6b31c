package dev.regx.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a fixture layer: a tar with exactly the entries asked for, in that order, then compressed.
 *
 * <pre>{@code
 * Layer layer = new LayerBuilder()
 *         .dir("etc/")
 *         .file("etc/hostname", "fixture\n")
 *         .symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
 *         .whiteout("var/cache/old.txt")          // writes var/cache/.wh.old.txt
 *         .build(Compression.GZIP);
 * }</pre>
 *
 * Defaults: owner 0:0 with EMPTY user and group names (commons-compress would otherwise write the name of
 * whoever runs the tests, which makes digests differ between machines), mode 0644 for files and 0755 for
 * directories (permission bits only, as Go's archive/tar writes them), mtime {@link #DEFAULT_MTIME}.
 * {@link #owner} and {@link #mtime} change the defaults for the entries that follow; the {@code tweak}
 * overloads change one entry. Output is deterministic: the same calls give the same digest.
 *
 * <p>Names longer than 100 bytes and link targets longer than 100 bytes go as PAX headers
 * ({@link LongNames#PAX}, the default, which also puts non-ASCII names and large uids in PAX) or as GNU
 * {@code ././@LongLink} entries ({@link LongNames#GNU}, with base-256 for large numbers).
 */
public final class LayerBuilder {
    public static final Instant DEFAULT_MTIME = Instant.parse("2024-03-01T12:00:00Z");

    /** How over-long names, link targets and numbers are written. */
    public enum LongNames {
        PAX,
        GNU
    }

    private record Pending(TarArchiveEntry entry, byte[] content) {}

    private final List<Pending> pending = new ArrayList<>();
    private LongNames longNames = LongNames.PAX;
    private long uid;
    private long gid;
    private String uname = "";
    private String gname = "";
    private Instant mtime = DEFAULT_MTIME;

    public LayerBuilder longNames(LongNames mode) {
        this.longNames = mode;
        return this;
    }

    /** Owner of the entries that follow; empty names mean "numeric ids only". */
    public LayerBuilder owner(long uid, long gid, String uname, String gname) {
        this.uid = uid;
        this.gid = gid;
        this.uname = uname == null ? "" : uname;
        this.gname = gname == null ? "" : gname;
        return this;
    }

    /** Modification time of the entries that follow. */
    public LayerBuilder mtime(Instant mtime) {
        this.mtime = mtime;
        return this;
    }

    public LayerBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), e -> {});
    }

    public LayerBuilder file(String name, byte[] content) {
        return file(name, content, e -> {});
    }

    public LayerBuilder file(String name, String content, Consumer<TarArchiveEntry> tweak) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), tweak);
    }

    public LayerBuilder file(String name, byte[] content, Consumer<TarArchiveEntry> tweak) {
        TarArchiveEntry e = base(name, TarConstants.LF_NORMAL, 0644);
        e.setSize(content.length);
        return add(e, content, tweak);
    }

    /** A regular file with an explicit mode, e.g. {@code 04755} (setuid) or {@code 0755}. */
    public LayerBuilder file(String name, String content, int mode) {
        return file(name, content, e -> e.setMode(mode));
    }

    public LayerBuilder dir(String name) {
        return dir(name, e -> {});
    }

    public LayerBuilder dir(String name, int mode) {
        return dir(name, e -> e.setMode(mode));
    }

    public LayerBuilder dir(String name, Consumer<TarArchiveEntry> tweak) {
        return add(base(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR, 0755), null, tweak);
    }

    public LayerBuilder symlink(String name, String target) {
        TarArchiveEntry e = base(name, TarConstants.LF_SYMLINK, 0777);
        e.setLinkName(target);
        return add(e, null, x -> {});
    }

    /** A hard link to {@code target}, a name written earlier in this layer (or a lower one). */
    public LayerBuilder hardlink(String name, String target) {
        TarArchiveEntry e = base(name, TarConstants.LF_LINK, 0644);
        e.setLinkName(target);
        return add(e, null, x -> {});
    }

    public LayerBuilder charDevice(String name, int major, int minor) {
        return device(name, TarConstants.LF_CHR, major, minor);
    }

    public LayerBuilder blockDevice(String name, int major, int minor) {
        return device(name, TarConstants.LF_BLK, major, minor);
    }

    public LayerBuilder fifo(String name) {
        return add(base(name, TarConstants.LF_FIFO, 0644), null, x -> {});
    }

    /** {@code dir/.wh.name}: deletes {@code dir/name} (file or whole directory) of lower layers. */
    public LayerBuilder whiteout(String path) {
        String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        int slash = p.lastIndexOf('/');
        String wh = (slash < 0 ? "" : p.substring(0, slash + 1)) + ".wh." + p.substring(slash + 1);
        return file(wh, new byte[0]);
    }

    /** {@code dir/.wh..wh..opq}: lower layers' contents of {@code dir} are hidden; this layer's stay. */
    public LayerBuilder opaque(String dir) {
        String d = dir.endsWith("/") ? dir : dir + "/";
        return file(d + ".wh..wh..opq", new byte[0]);
    }

    /** Any entry commons-compress can express; {@code content} for regular files, else null. */
    public LayerBuilder entry(TarArchiveEntry entry, byte[] content) {
        pending.add(new Pending(entry, content));
        return this;
    }

    private LayerBuilder device(String name, byte flag, int major, int minor) {
        TarArchiveEntry e = base(name, flag, 0660);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        return add(e, null, x -> {});
    }

    private TarArchiveEntry base(String name, byte flag, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, flag, true);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        e.setUserName(uname);
        e.setGroupName(gname);
        e.setModTime(FileTime.from(mtime));
        e.setSize(0);
        return e;
    }

    private LayerBuilder add(TarArchiveEntry e, byte[] content, Consumer<TarArchiveEntry> tweak) {
        tweak.accept(e);
        pending.add(new Pending(e, content));
        return this;
    }

    /** The tar itself, uncompressed. */
    public byte[] tar() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(buf, StandardCharsets.UTF_8.name())) {
            if (longNames == LongNames.PAX) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                tar.setAddPaxHeadersForNonAsciiNames(true);
            } else {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_GNU);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_STAR);
            }
            for (Pending p : pending) {
                tar.putArchiveEntry(p.entry);
                if (p.content != null) {
                    tar.write(p.content);
                }
                tar.closeArchiveEntry();
            }
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buf.toByteArray();
    }

    public Layer build(Compression compression) {
        byte[] tar = tar();
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        try (OutputStream out = compression.wrap(blob)) {
            out.write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = blob.toByteArray();
        List<LayerEntry> entries = new ArrayList<>();
        for (Pending p : pending) {
            entries.add(describe(p.entry, p.content));
        }
        return new Layer(
                compression,
                Digests.sha256(bytes),
                bytes.length,
                Digests.sha256(tar),
                tar.length,
                entries,
                bytes,
                null);
    }

    static LayerEntry describe(TarArchiveEntry e, byte[] content) {
        LayerEntry.Type type;
        if (e.isSymbolicLink()) {
            type = LayerEntry.Type.SYMLINK;
        } else if (e.isLink()) {
            type = LayerEntry.Type.HARDLINK;
        } else if (e.isDirectory()) {
            type = LayerEntry.Type.DIRECTORY;
        } else if (e.isCharacterDevice()) {
            type = LayerEntry.Type.CHAR_DEVICE;
        } else if (e.isBlockDevice()) {
            type = LayerEntry.Type.BLOCK_DEVICE;
        } else if (e.isFIFO()) {
            type = LayerEntry.Type.FIFO;
        } else {
            type = LayerEntry.Type.FILE;
        }
        boolean device = type == LayerEntry.Type.CHAR_DEVICE || type == LayerEntry.Type.BLOCK_DEVICE;
        return new LayerEntry(
                e.getName(),
                type,
                e.getSize(),
                e.getMode(),
                e.getLongUserId(),
                e.getLongGroupId(),
                e.getUserName(),
                e.getGroupName(),
                e.getLastModifiedTime().toInstant(),
                type == LayerEntry.Type.SYMLINK || type == LayerEntry.Type.HARDLINK ? e.getLinkName() : null,
                device ? e.getDevMajor() : 0,
                device ? e.getDevMinor() : 0,
                content == null ? new byte[0] : content.clone());
    }
}
