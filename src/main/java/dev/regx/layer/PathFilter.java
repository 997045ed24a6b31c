package dev.regx.layer;

/**
 * Which entries {@code regx ls IMAGE IDX PATH} shows, with {@code ls} semantics: for a directory PATH its direct
 * children (or, recursively, everything below it) but not the directory itself; for any other PATH the entry
 * itself. {@code /usr/bin/}, {@code usr/bin} and {@code ./usr/bin} all mean the same; "" or {@code /} is the root.
 *
 * <p>Works on one entry at a time, so it can filter a streaming listing without knowing in advance whether PATH
 * is a directory: only the entry at PATH itself needs its type.
 */
public final class PathFilter {
    private final String path;
    private final boolean recursive;

    private PathFilter(String path, boolean recursive) {
        this.path = path;
        this.recursive = recursive;
    }

    public static PathFilter of(String path, boolean recursive) {
        return new PathFilter(LayerPath.normalize(path), recursive);
    }

    /** Everything: the root, recursively. */
    public static PathFilter all() {
        return new PathFilter("", true);
    }

    /** The normalised PATH. */
    public String path() {
        return path;
    }

    public boolean recursive() {
        return recursive;
    }

    /**
     * Whether {@code entryPath} (normalised) is PATH itself or lies below it: such an entry proves PATH exists
     * even when it is not shown (a directory's own entry, a grandchild without {@code -R}).
     */
    public boolean isPathOrBelow(String entryPath) {
        return LayerPath.isSelfOrBelow(entryPath, path);
    }

    public boolean accepts(LayerEntry entry) {
        return accepts(entry.path(), entry.type());
    }

    public boolean accepts(String entryPath, EntryType type) {
        if (entryPath.equals(path)) {
            return type != EntryType.DIRECTORY;
        }
        if (!LayerPath.isSelfOrBelow(entryPath, path)) {
            return false;
        }
        return recursive || LayerPath.parent(entryPath).equals(path);
    }
}
