package dev.regx.files;

import dev.regx.layer.LayerEntry;
import dev.regx.layer.LayerPath;
import dev.regx.layer.SafeText;
import dev.regx.layer.Whiteout;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.manifest.ResolvedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code regx extract}: a layer, or the image's merged file system, written into a directory.
 *
 * <p>Nothing unverified under the final name: the entries go into a private sibling directory, every blob read is
 * checked against its digest, and only then is that directory renamed to its name. A failure, or Ctrl-C, removes
 * it ({@link ScratchDirectory}).
 *
 * <p>The merged view is built on disk, layer over layer, as a container runtime unpacks an image: a whiteout
 * deletes what lower layers wrote at its path, an opaque marker what they wrote under its directory; entries of
 * the marker's own layer stay, whichever order its tar lists them in. Memory holds the paths of one layer at a
 * time (for that rule), never contents.
 */
public final class ImageExtraction {
    private final RegistryClient client;
    private final ResolvedImage image;

    public ImageExtraction(RegistryClient client, ResolvedImage image) {
        this.client = client;
        this.image = image;
    }

    /**
     * What to extract.
     *
     * @param layer the layer, or null for the merged view
     * @param paths entries to write (with everything under them); empty for all
     * @param target the directory to create
     * @param force replace {@code target} if it exists
     */
    public record Request(Integer layer, List<String> paths, Path target, boolean force, ExtractOptions options) {
        public Request {
            paths = List.copyOf(paths);
        }
    }

    /**
     * How it went.
     *
     * @param refused entries not written because they were unsafe
     * @param skipped devices, fifos and unknown types left out
     * @param whiteouts whiteout markers of a single layer left out
     */
    public record Outcome(Path directory, int refused, int skipped, int whiteouts) {}

    /**
     * Checks, before anything is downloaded, that {@code target} may be created.
     *
     * @throws TargetExistsException if it exists and {@code force} is off
     */
    public static void checkTarget(Path target, boolean force) {
        if (!force && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw new TargetExistsException(target);
        }
        Path parent = target.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new LocalFileException(
                    "cannot create " + target + ": its parent directory " + parent + " does not exist");
        }
    }

    /**
     * @param warnings one line per refused or skipped entry
     * @param verbose each entry's path as it is written ({@code -v})
     * @throws ImagePathException if a PATH matched nothing (nothing is left behind then)
     */
    public Outcome run(Request request, Consumer<String> warnings, Consumer<String> verbose) {
        checkTarget(request.target(), request.force());
        Path absolute = request.target().toAbsolutePath();
        ScratchDirectory scratch;
        try {
            scratch = ScratchDirectory.create(absolute.getParent(), "." + absolute.getFileName() + ".regx-");
        } catch (IOException e) {
            throw new LocalFileException(
                    "cannot create a directory next to " + request.target() + ": " + e.getMessage(), e);
        }
        try (scratch) {
            TreeWriter writer = new TreeWriter(scratch.path(), request.options(), warnings, verbose);
            boolean[] found = new boolean[request.paths().size()];
            List<String> wanted =
                    request.paths().stream().map(Lexical::normalize).toList();
            List<ImageLayer> layers = request.layer() == null
                    ? image.layers()
                    : List.of(image.layers().get(request.layer()));
            for (ImageLayer layer : layers) {
                LayerVisitor visitor =
                        new LayerVisitor(writer, request.layer() == null, request.options(), wanted, found);
                LayerBlob.read(client, image.reference(), layer, visitor::visit);
            }
            for (int i = 0; i < found.length; i++) {
                // In the merged view a later layer may have deleted what an earlier one had at PATH.
                boolean there = request.layer() != null || exists(scratch.path(), wanted.get(i));
                if (!found[i] || !there) {
                    String where = request.layer() == null
                            ? "the merged view of " + image.reference()
                            : "layer " + request.layer() + " of " + image.reference();
                    throw new ImagePathException(
                            ImagePathException.Kind.NOT_FOUND,
                            SafeText.escape(request.paths().get(i)) + ": no such file or directory in " + where,
                            wanted.get(i),
                            LayerPath.parent(wanted.get(i)));
                }
            }
            writer.finish();
            install(scratch, absolute, request.force());
            return new Outcome(request.target(), writer.refused(), writer.skipped(), writer.whiteouts());
        } catch (IOException e) {
            throw new LocalFileException("cannot write into " + request.target() + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code path} is in the tree at {@code root}, looked up without following any link. */
    private static boolean exists(Path root, String path) {
        List<String> parts = TreeWriter.components(path);
        if (parts == null) {
            return false;
        }
        Path at = root;
        for (String part : parts) {
            if (!Files.isDirectory(at, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            at = at.resolve(part);
        }
        return Files.exists(at, LinkOption.NOFOLLOW_LINKS);
    }

    /** Renames the verified tree to its name; with force, what was there goes only once the new tree is in place. */
    private static void install(ScratchDirectory scratch, Path target, boolean force) throws IOException {
        Path old = null;
        if (force && Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            old = Files.createTempDirectory(target.getParent(), "." + target.getFileName() + ".regx-old-");
            Files.move(target, old.resolve("old"), StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(scratch.path(), target, StandardCopyOption.ATOMIC_MOVE);
        scratch.keep();
        if (old != null) {
            ScratchDirectory.removeTree(old);
        }
    }

    /** One layer's entries, written as they stream. */
    private static final class LayerVisitor {
        private final TreeWriter writer;
        private final boolean merged;
        private final ExtractOptions options;
        private final List<String> wanted;
        private final boolean[] found;
        /** Paths this layer wrote so far and the directories above them: what its own opaque markers keep. */
        private final Set<String> ownPaths = new HashSet<>();

        LayerVisitor(TreeWriter writer, boolean merged, ExtractOptions options, List<String> wanted, boolean[] found) {
            this.writer = writer;
            this.merged = merged;
            this.options = options;
            this.wanted = wanted;
            this.found = found;
        }

        boolean visit(LayerEntry entry, InputStream content) throws IOException {
            if (!selected(entry)) {
                return true;
            }
            Whiteout whiteout = entry.whiteout();
            if (whiteout != Whiteout.NONE && merged) {
                String target = entry.whiteoutTarget().orElseThrow();
                if (whiteout == Whiteout.DELETION) {
                    if (!ownPaths.contains(target)) {
                        writer.delete(target);
                    }
                } else {
                    writer.deleteChildren(target, ownPaths::contains);
                }
            } else if (whiteout != Whiteout.NONE && !options.keepWhiteouts()) {
                writer.skipWhiteout();
            } else if (merged && LayerPath.name(entry.path()).startsWith(".wh..wh.")) {
                // aufs bookkeeping, not a file of the image
            } else {
                if (merged) {
                    own(entry.path());
                }
                writer.write(entry, content);
            }
            return true;
        }

        /** Records {@code path} and the directories above it as this layer's. */
        private void own(String path) {
            for (String p = path; !p.isEmpty() && ownPaths.add(p); p = LayerPath.parent(p)) {
                // up to the first directory already recorded: its parents are too
            }
        }

        private boolean selected(LayerEntry entry) {
            if (wanted.isEmpty()) {
                return true;
            }
            boolean any = false;
            for (int i = 0; i < wanted.size(); i++) {
                String w = wanted.get(i);
                if (LayerPath.isSelfOrBelow(entry.path(), w)) {
                    any = true;
                    if (entry.whiteout() == Whiteout.NONE) {
                        found[i] = true;
                    }
                }
                // A whiteout of a directory above PATH deletes PATH too.
                if (merged && entry.whiteout() != Whiteout.NONE) {
                    String target = entry.whiteoutTarget().orElseThrow();
                    if (LayerPath.isSelfOrBelow(w, target)) {
                        any = true;
                    }
                }
            }
            return any;
        }
    }
}
