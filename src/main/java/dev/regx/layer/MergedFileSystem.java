package dev.regx.layer;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The image's file system as the runtime would assemble it, built from each layer's entries in order, bottom layer
 * first, following the OCI image spec's changeset rules:
 * <ul>
 *   <li>an entry replaces an entry of a lower layer at the same path; a non-directory replacing a directory
 *       removes everything that was under it, while a directory replacing a directory keeps the children;</li>
 *   <li>a whiteout {@code DIR/.wh.NAME} deletes {@code DIR/NAME} and everything under it, but only as lower layers
 *       wrote them: entries of its own layer are untouched, whichever order the tar lists them in;</li>
 *   <li>an opaque marker {@code DIR/.wh..wh..opq} hides every lower-layer entry under {@code DIR}, again keeping
 *       its own layer's entries, and {@code DIR} itself;</li>
 *   <li>whiteout markers, and aufs's {@code .wh..wh.*} bookkeeping, are not files and never appear.</li>
 * </ul>
 * Because every rule acts only on entries of strictly lower layers, entries can be applied as they stream out of
 * {@link LayerReader}, without holding a layer back. Only metadata is held: a few hundred bytes per path.
 *
 * <p>Paths sort component by component ({@code a}, {@code a/b}, {@code a-b}), as a tree walk would list them.
 */
public final class MergedFileSystem {
    /** Orders paths as a tree walk does: '/' below every other character keeps a directory's subtree contiguous. */
    public static final Comparator<String> PATH_ORDER = MergedFileSystem::comparePaths;

    private final NavigableMap<String, MergedEntry> entries = new TreeMap<>(PATH_ORDER);
    private int topLayer = -1;

    /**
     * Applies one entry of layer {@code layerIndex}. Layers must come in order, bottom first; entries within a
     * layer in any order.
     *
     * @throws IllegalArgumentException if {@code layerIndex} is lower than that of an entry already applied
     */
    public void apply(int layerIndex, LayerEntry entry) {
        if (layerIndex < topLayer) {
            throw new IllegalArgumentException(
                    "layers must be applied bottom first: layer " + layerIndex + " after layer " + topLayer);
        }
        topLayer = layerIndex;
        switch (entry.whiteout()) {
            case DELETION -> removeLower(entry.whiteoutTarget().orElseThrow(), true, layerIndex);
            case OPAQUE -> removeLower(entry.whiteoutTarget().orElseThrow(), false, layerIndex);
            case NONE -> {
                if (!LayerPath.name(entry.path()).startsWith(Whiteout.AUFS_META_PREFIX)) {
                    add(layerIndex, entry);
                }
            }
        }
    }

    private void add(int layerIndex, LayerEntry entry) {
        MergedEntry previous = entries.put(entry.path(), new MergedEntry(entry, layerIndex));
        if (previous != null && previous.entry().isDirectory() && !entry.isDirectory()) {
            // What was under the directory is unreachable now that the path is not a directory.
            removeLower(entry.path(), false, Integer.MAX_VALUE);
        }
    }

    /** Removes entries of layers below {@code layerIndex} at or under {@code path} ({@code path} itself if asked). */
    private void removeLower(String path, boolean includingPath, int layerIndex) {
        Iterator<Map.Entry<String, MergedEntry>> it =
                entries.tailMap(path, includingPath).entrySet().iterator();
        while (it.hasNext()) {
            MergedEntry candidate = it.next().getValue();
            if (!LayerPath.isSelfOrBelow(candidate.path(), path)) {
                break;
            }
            if (candidate.layerIndex() < layerIndex) {
                it.remove();
            }
        }
    }

    /** Every entry, sorted by {@link #PATH_ORDER}. */
    public List<MergedEntry> entries() {
        return List.copyOf(entries.values());
    }

    /** The entry at {@code path} (any spelling {@link LayerPath#normalize} accepts). */
    public Optional<MergedEntry> get(String path) {
        return Optional.ofNullable(entries.get(LayerPath.normalize(path)));
    }

    /**
     * Whether {@code path} exists in the merged view: the root always does; any other path if an entry is at it
     * or below it (a tar need not list a directory's own entry). A path a later layer deleted does not.
     */
    public boolean contains(String path) {
        String normalized = LayerPath.normalize(path);
        // PATH_ORDER keeps a subtree contiguous right after its root, so the first key from PATH on decides.
        String first = entries.ceilingKey(normalized);
        return normalized.isEmpty() || (first != null && LayerPath.isSelfOrBelow(first, normalized));
    }

    /** The entries {@code filter} accepts, sorted by {@link #PATH_ORDER}; visits only the filter's subtree. */
    public List<MergedEntry> list(PathFilter filter) {
        List<MergedEntry> result = new ArrayList<>();
        for (MergedEntry candidate : entries.tailMap(filter.path(), true).values()) {
            if (!LayerPath.isSelfOrBelow(candidate.path(), filter.path())) {
                break;
            }
            if (filter.accepts(candidate.entry())) {
                result.add(candidate);
            }
        }
        return Collections.unmodifiableList(result);
    }

    /** The direct children of directory {@code dir}. */
    public List<MergedEntry> children(String dir) {
        return list(PathFilter.of(dir, false));
    }

    /** Everything below directory {@code dir}, not including it. */
    public List<MergedEntry> subtree(String dir) {
        return list(PathFilter.of(dir, true));
    }

    public int size() {
        return entries.size();
    }

    private static int comparePaths(String a, String b) {
        int common = Math.min(a.length(), b.length());
        for (int i = 0; i < common; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                if (x == '/') {
                    return -1;
                }
                if (y == '/') {
                    return 1;
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }
}
