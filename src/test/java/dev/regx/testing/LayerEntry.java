package dev.regx.testing;

import java.time.Instant;

/**
 * One tar entry of a fixture layer, as it was written: what {@code regx ls} should show for it.
 * {@code content} is the file's bytes for regular files (empty otherwise); {@code linkTarget} is set for
 * symlinks and hard links, {@code devMajor}/{@code devMinor} for devices.
 */
public record LayerEntry(
        String name,
        Type type,
        long size,
        int mode,
        long uid,
        long gid,
        String uname,
        String gname,
        Instant mtime,
        String linkTarget,
        int devMajor,
        int devMinor,
        byte[] content) {

    public enum Type {
        FILE,
        DIRECTORY,
        SYMLINK,
        HARDLINK,
        CHAR_DEVICE,
        BLOCK_DEVICE,
        FIFO
    }

    /** A whiteout ({@code .wh.NAME}) deletes NAME from lower layers; the opaque marker is one too. */
    public boolean isWhiteout() {
        String base = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        base = base.substring(base.lastIndexOf('/') + 1);
        return base.startsWith(".wh.");
    }

    /** {@code dir/.wh..wh..opq}: hides everything lower layers had under {@code dir}. */
    public boolean isOpaqueMarker() {
        return name.endsWith(".wh..wh..opq");
    }

    @Override
    public String toString() {
        return type + " " + name + (linkTarget != null ? " -> " + linkTarget : "") + " (" + size + " bytes, mode "
                + Integer.toOctalString(mode) + ", " + uid + ":" + gid + ")";
    }
}
