package dev.regx.files;

import dev.regx.layer.EntryType;
import dev.regx.layer.LayerEntry;
import dev.regx.layer.LayerPath;
import dev.regx.layer.MergedEntry;
import dev.regx.layer.MergedFileSystem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * Finds the file a PATH names inside an image, following links the way the kernel would inside a container
 * whose root is the image: never outside it. An absolute link target starts again from the image's root,
 * {@code ..} at the root stays at the root, and at most {@link #MAX_LINKS} links are followed (the kernel's
 * limit for ELOOP), so a loop ends as a clean failure.
 *
 * <p>Works on a {@link MergedFileSystem}: the merged view of an image, or one layer applied alone. A directory
 * need not have an entry of its own: a path with entries below it is one (a tar may list {@code usr/bin/env}
 * without {@code usr/}).
 */
public final class PathResolver {
    /** Links followed at most on one PATH, symbolic and hard alike: Linux's MAXSYMLINKS. */
    public static final int MAX_LINKS = 40;

    private final MergedFileSystem tree;
    private final boolean singleLayer;

    /**
     * @param singleLayer whether {@code tree} is one layer alone: a hard link's target must then be in it; in a
     *     merged view the target may be hidden by a higher layer and still hold the hard link's contents
     */
    public PathResolver(MergedFileSystem tree, boolean singleLayer) {
        this.tree = tree;
        this.singleLayer = singleLayer;
    }

    /** What a PATH turned out to name. */
    public sealed interface Resolution {}

    /**
     * A non-directory whose contents are those of {@code contentPath} as layer {@code layer} wrote it. For a
     * hard link in the merged view whose target a higher layer replaced, {@code entry} is the hard link itself
     * and only that layer's tar can tell whether {@code contentPath} is a regular file there.
     *
     * @param path where the chain of links ended (the file's own path, or the hard link's)
     */
    public record Found(String path, MergedEntry entry, int layer, String contentPath) implements Resolution {
        /** Whether the tree showed what {@code contentPath} is; false only for a hard link into a hidden file. */
        public boolean typeKnown() {
            return entry.entry().type() != EntryType.HARDLINK;
        }
    }

    /** A directory (the root included). */
    public record Directory(String path) implements Resolution {}

    /** A symbolic link PATH names itself, with following turned off. */
    public record Link(String path, String target) implements Resolution {}

    /**
     * Nothing at {@code path}. {@code existingParent} is the deepest directory that does exist on the way.
     * {@code link} and {@code linkTarget} are the last link followed before the path went missing (null if
     * none): a dangling link is told as such.
     */
    public record Missing(String path, String existingParent, String link, String linkTarget) implements Resolution {}

    /** More than {@link #MAX_LINKS} links: a loop, most likely. */
    public record TooManyLinks(String path) implements Resolution {}

    /** A component before the last is a file, not a directory ({@code etc/passwd/x}). */
    public record NotADirectory(String path) implements Resolution {}

    /**
     * @param path as the user typed it: {@code etc/passwd}, {@code /etc/passwd} and {@code ./etc/passwd} alike
     * @param followLast whether a symbolic link at the end of {@code path} is followed
     */
    public Resolution resolve(String path, boolean followLast) {
        return walk(path, followLast, 0, null, null);
    }

    /**
     * The paths a walk of {@code path} looks up when it meets no link: each of its directories and itself, with
     * {@code ..} taken lexically ({@code usr/../etc/x}: {@code usr}, {@code etc}, {@code etc/x}).
     */
    public static List<String> lookups(String path) {
        List<String> lookups = new ArrayList<>();
        String current = "";
        for (String component : LayerPath.normalize(path).split("/")) {
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                current = LayerPath.parent(current);
            } else {
                current = current.isEmpty() ? component : current + "/" + component;
                lookups.add(current);
            }
        }
        return lookups;
    }

    /** Walks {@code path} from the root, {@code linksSoFar} links already followed, the last of them given. */
    private Resolution walk(String path, boolean followLast, int linksSoFar, String viaLink, String viaTarget) {
        Deque<String> todo = new ArrayDeque<>();
        pushComponents(todo, LayerPath.normalize(path));
        String current = "";
        int links = linksSoFar;
        String lastLink = viaLink;
        String lastTarget = viaTarget;
        while (!todo.isEmpty()) {
            String component = todo.pop();
            if (component.equals("..")) {
                current = LayerPath.parent(current); // the root's parent is the root
                continue;
            }
            String candidate = current.isEmpty() ? component : current + "/" + component;
            Optional<MergedEntry> found = tree.get(candidate);
            if (found.isEmpty()) {
                if (!tree.contains(candidate)) {
                    return new Missing(rest(candidate, todo), current, lastLink, lastTarget);
                }
                current = candidate; // a directory only its children's entries show
                continue;
            }
            MergedEntry merged = found.get();
            LayerEntry entry = merged.entry();
            switch (entry.type()) {
                case DIRECTORY -> current = candidate;
                case SYMLINK -> {
                    if (todo.isEmpty() && !followLast) {
                        return new Link(candidate, entry.linkTarget());
                    }
                    if (++links > MAX_LINKS) {
                        return new TooManyLinks(candidate);
                    }
                    lastLink = candidate;
                    lastTarget = entry.linkTarget();
                    if (entry.linkTarget().startsWith("/")) {
                        current = "";
                    }
                    pushComponents(todo, entry.linkTarget());
                }
                case HARDLINK -> {
                    if (!todo.isEmpty()) {
                        return new NotADirectory(candidate);
                    }
                    // A hard link is its target's file: follow it within the layer that wrote both.
                    return hardLinkTarget(candidate, merged, links);
                }
                default -> {
                    if (!todo.isEmpty()) {
                        return new NotADirectory(candidate);
                    }
                    return new Found(candidate, merged, merged.layerIndex(), candidate);
                }
            }
        }
        return new Directory(current);
    }

    private Resolution hardLinkTarget(String linkPath, MergedEntry link, int links) {
        MergedEntry hop = link;
        for (int hops = links; ; hops++) {
            if (hops >= MAX_LINKS) {
                return new TooManyLinks(linkPath);
            }
            String target = hop.entry().linkTarget();
            if (leavesTheRoot(target)) {
                // A hard link to a name with `..` in it (GNU tar and Docker refuse to extract one): whatever a
                // tar entry of that name holds, it is outside the image, and so nothing a PATH can name.
                return new Missing(target, "", linkPath, target);
            }
            Optional<MergedEntry> found = tree.get(target);
            if (found.isEmpty() || found.get().layerIndex() != hop.layerIndex()) {
                if (singleLayer) {
                    return new Missing(target, existingParentOf(target), linkPath, target);
                }
                // Replaced or deleted by a higher layer: its own layer still holds the contents.
                return new Found(linkPath, hop, hop.layerIndex(), target);
            }
            MergedEntry next = found.get();
            switch (next.entry().type()) {
                case HARDLINK -> hop = next;
                case SYMLINK -> {
                    // A hard link to a symbolic link is that symbolic link: resolve it where it lies.
                    String parent = LayerPath.parent(target);
                    String via = next.entry().linkTarget().startsWith("/")
                            ? next.entry().linkTarget()
                            : (parent.isEmpty() ? "" : parent + "/")
                                    + next.entry().linkTarget();
                    return walk(via, true, hops + 1, linkPath, next.entry().linkTarget());
                }
                case DIRECTORY -> {
                    return new Directory(target);
                }
                default -> {
                    return new Found(target, next, next.layerIndex(), target);
                }
            }
        }
    }

    /** Whether a (normalised) path has a {@code ..} component: hard link targets are never walked lexically. */
    private static boolean leavesTheRoot(String path) {
        return ("/" + path + "/").contains("/../");
    }

    private String existingParentOf(String path) {
        String parent = LayerPath.parent(LayerPath.normalize(path));
        while (!parent.isEmpty() && !tree.contains(parent)) {
            parent = LayerPath.parent(parent);
        }
        return parent;
    }

    /** The path that went missing, with what was still to walk after it ({@code usr/nope/bin/x}). */
    private static String rest(String candidate, Deque<String> todo) {
        StringBuilder s = new StringBuilder(candidate);
        for (String c : todo) {
            s.append('/').append(c);
        }
        return s.toString();
    }

    /** Puts {@code path}'s components in front of what is left to walk, in order. */
    private static void pushComponents(Deque<String> todo, String path) {
        String[] parts = path.split("/");
        for (int i = parts.length - 1; i >= 0; i--) {
            if (!parts[i].isEmpty() && !parts[i].equals(".")) {
                todo.push(parts[i]);
            }
        }
    }
}
