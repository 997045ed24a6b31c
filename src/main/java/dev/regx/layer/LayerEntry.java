package dev.regx.layer;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One tar entry of a layer: metadata only, never the contents.
 *
 * <p>Names are decoded with {@link EscapedUtf8}: valid UTF-8 reads as itself, other bytes survive as lone
 * surrogates, so {@link #pathBytes()} gives back the bytes the tar holds. Print names through {@link SafeText}.
 *
 * @param path normalised by {@link LayerPath#normalize}: no leading {@code ./} or {@code /}, no trailing {@code /}
 * @param type what the entry makes
 * @param mode permission bits including setuid, setgid and sticky ({@code 07777}); file type bits are dropped
 * @param uid numeric owner
 * @param gid numeric group
 * @param uname owner name, "" when the tar has none
 * @param gname group name, "" when the tar has none
 * @param size bytes of content; for a sparse file the real (expanded) size, not the bytes stored
 * @param mtime modification time, to the precision the tar records (PAX keeps fractions of a second)
 * @param linkTarget for a symlink, its target exactly as stored; for a hard link, the normalised path of the
 *     entry it links to; "" otherwise
 * @param devMajor device major number, 0 unless a device
 * @param devMinor device minor number, 0 unless a device
 */
public record LayerEntry(
        String path,
        EntryType type,
        int mode,
        long uid,
        long gid,
        String uname,
        String gname,
        long size,
        Instant mtime,
        String linkTarget,
        int devMajor,
        int devMinor) {

    public LayerEntry {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(mtime, "mtime");
        path = LayerPath.normalize(Objects.requireNonNull(path, "path"));
        mode &= 07777;
        uname = uname == null ? "" : uname;
        gname = gname == null ? "" : gname;
        linkTarget = linkTarget == null ? "" : linkTarget;
        if (type == EntryType.HARDLINK) {
            linkTarget = LayerPath.normalize(linkTarget);
        }
    }

    /** A plain entry with root ownership and the epoch as mtime; for tests and synthesised entries. */
    public static LayerEntry of(String path, EntryType type, int mode) {
        return new LayerEntry(path, type, mode, 0, 0, "root", "root", 0, Instant.EPOCH, "", 0, 0);
    }

    /** Copy with a different link target (symlinks and hard links). */
    public LayerEntry withLinkTarget(String target) {
        return new LayerEntry(path, type, mode, uid, gid, uname, gname, size, mtime, target, devMajor, devMinor);
    }

    /** Copy with a different size. */
    public LayerEntry withSize(long newSize) {
        return new LayerEntry(path, type, mode, uid, gid, uname, gname, newSize, mtime, linkTarget, devMajor, devMinor);
    }

    /** Whether this entry is a whiteout marker rather than a file of the image. */
    public Whiteout whiteout() {
        return Whiteout.of(path);
    }

    /**
     * What a whiteout marker acts on: for {@link Whiteout#DELETION} the path it deletes ({@code a/.wh.b} deletes
     * {@code a/b}); for {@link Whiteout#OPAQUE} the directory it makes opaque ("" for the root). Empty for an
     * ordinary entry.
     */
    public Optional<String> whiteoutTarget() {
        return switch (whiteout()) {
            case NONE -> Optional.empty();
            case OPAQUE -> Optional.of(LayerPath.parent(path));
            case DELETION ->
                Optional.of(LayerPath.join(
                        LayerPath.parent(path), LayerPath.name(path).substring(Whiteout.PREFIX.length())));
        };
    }

    public boolean isDirectory() {
        return type == EntryType.DIRECTORY;
    }

    /** The path as the bytes the tar stored (less the normalisation), even when they are not valid UTF-8. */
    public byte[] pathBytes() {
        return EscapedUtf8.encode(path);
    }
}
