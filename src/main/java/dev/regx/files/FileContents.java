package dev.regx.files;

import dev.regx.layer.EntryType;
import dev.regx.layer.LayerEntry;
import dev.regx.layer.LayerPath;
import dev.regx.layer.MergedFileSystem;
import dev.regx.layer.SafeText;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.manifest.ResolvedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The contents of regular files named by path, out of one layer or the image's merged view: what
 * {@code regx cat} prints.
 *
 * <p>One pass over the layers does it in the common case: every entry's metadata goes into a
 * {@link MergedFileSystem} (for whiteouts and links), and the contents of the files asked for are held in
 * {@link ContentSpool}s as they stream past, along with those of paths the symbolic links seen so far lead to.
 * Once every blob has been verified, each PATH is resolved ({@link PathResolver}) and its contents written. Only
 * when a PATH leads somewhere the pass could not have known to keep (a hard link to an earlier entry, a link
 * that comes after its target) is that layer read a second time, for those files alone.
 *
 * <p>With IDX the tree is compact: it leaves out the regular files no PATH may need, so memory stays flat in the
 * layer's size, and a PATH missing from it is told from that one pass too, unless it went missing past a link
 * (the file there may have come before the link): then the layer is read again with the whole tree.
 *
 * <p>Unverified mode, for one layer: a file is written as soon as it streams past (its turn come: PATHs are
 * written in the order given), and the blob is read no further once every PATH has been written. For the merged
 * view the layers are read from the top down ({@link TopDownCat}), up to the last that holds a PATH.
 */
public final class FileContents {
    /** Contents held in memory for all PATHs together before they spill into a temporary file. */
    public static final long DEFAULT_MEMORY = 16L << 20;

    /** Symbolic links' guesses of where a PATH leads, kept at most (a loop would add them forever). */
    private static final int MAX_WANTED = 4096;

    private final RegistryClient client;
    private final ResolvedImage image;
    private final Path tempParent;
    private final long memory;

    /**
     * @param tempParent where the private temporary directory for large contents is made (only if needed)
     * @param memory bytes of contents held in memory before spilling to it
     */
    public FileContents(RegistryClient client, ResolvedImage image, Path tempParent, long memory) {
        this.client = client;
        this.image = image;
        this.tempParent = tempParent;
        this.memory = memory;
    }

    /** What to print: PATHs in order, from layer {@code layer} (null: the merged view). */
    public record Request(List<String> paths, Integer layer, boolean followLinks, boolean unverified) {
        public Request {
            paths = List.copyOf(paths);
        }
    }

    /**
     * Writes each PATH's contents to {@code out}, in order; by default nothing at all before every blob read
     * has matched its digest.
     *
     * @throws IOException only when writing to {@code out} fails
     * @throws ImagePathException when a PATH is missing or not a regular file (nothing is written then, in
     *     verified mode)
     */
    public void write(Request request, OutputStream out) throws IOException {
        List<ImageLayer> layers = request.layer() == null
                ? image.layers()
                : List.of(image.layers().get(request.layer()));
        ContentSpool.Budget budget = new ContentSpool.Budget(memory);
        try (Scratch scratch = new Scratch(tempParent)) {
            if (request.unverified() && request.layer() == null) {
                int written = new TopDownCat(client, image, request.paths(), out, budget, scratch).write();
                if (written == request.paths().size()) {
                    return;
                }
                request = new Request(
                        request.paths().subList(written, request.paths().size()), null, request.followLinks(), true);
            }
            // One layer: keep only the regular files PATHs may need, so memory stays flat in the layer's size.
            boolean compact = request.layer() != null;
            Pass pass = read(layers, new Pass(request, budget, scratch, out, compact));
            if (pass.allWritten()) {
                return;
            }
            Map<Integer, Key> sources = sources(pass, request);
            if (sources == null) {
                // A link may lead to a regular file the compact pass did not keep (it came before the link):
                // only the whole tree can tell that from a missing one.
                pass = read(layers, pass.whole());
                if (pass.allWritten()) {
                    return;
                }
                sources = sources(pass, request);
            }
            readMissing(sources.values(), pass);
            for (int i = pass.nextToWrite; i < request.paths().size(); i++) {
                pass.spools.get(sources.get(i)).writeTo(out);
            }
            out.flush();
        }
    }

    private Pass read(List<ImageLayer> layers, Pass pass) {
        boolean streaming = pass.request.unverified() && pass.request.layer() != null;
        for (ImageLayer layer : layers) {
            pass.layer = layer.index();
            LayerBlob.read(client, image.reference(), layer, pass::visit, !streaming);
            if (streaming && pass.allWritten()) {
                break;
            }
        }
        return pass;
    }

    /**
     * The contents each PATH not yet written is to get: those found while streaming, else where it resolves.
     *
     * @return null if a compact pass cannot tell: a PATH went missing past a link, where the whole tree might
     *     hold a regular file the pass left out. Anything else a compact tree tells is what the whole tree would:
     *     the walk meets the same entries up to where it ends, and a walk that meets no link looks up only paths
     *     whose regular files the pass kept ({@link Pass#watched}).
     */
    private Map<Integer, Key> sources(Pass pass, Request request) {
        PathResolver resolver = new PathResolver(pass.tree, request.layer() != null);
        Map<Integer, Key> sources = new HashMap<>(pass.pending);
        for (int i = pass.nextToWrite; i < request.paths().size(); i++) {
            if (!sources.containsKey(i)) {
                String path = request.paths().get(i);
                PathResolver.Resolution r = resolver.resolve(path, request.followLinks());
                if (pass.compact && r instanceof PathResolver.Missing missing && missing.link() != null) {
                    return null;
                }
                PathResolver.Found f = fileAt(r, path, request);
                sources.put(i, new Key(f.layer(), f.contentPath()));
            }
        }
        return sources;
    }

    /** Where a PATH leads, or the failure that says why it cannot be printed. */
    private PathResolver.Found fileAt(PathResolver.Resolution r, String path, Request request) {
        String shown = SafeText.escape(path);
        String where = where(request.layer());
        if (r instanceof PathResolver.Found found) {
            EntryType type = found.entry().entry().type();
            if (found.typeKnown() && type != EntryType.FILE) {
                throw new ImagePathException(
                        ImagePathException.Kind.NOT_A_FILE,
                        shown + " is " + describe(type) + " in " + where + ", not a regular file; nothing to print",
                        null,
                        null);
            }
            return found;
        }
        if (r instanceof PathResolver.Directory) {
            throw new ImagePathException(
                    ImagePathException.Kind.NOT_A_FILE,
                    shown + " is a directory in " + where
                            + "; list it with 'regx ls', or write it out with 'regx extract'",
                    null,
                    null);
        }
        if (r instanceof PathResolver.Link link) {
            throw new ImagePathException(
                    ImagePathException.Kind.NOT_A_FILE,
                    shown + " is a symbolic link to " + SafeText.escape(link.target()) + " in " + where
                            + "; --no-follow prints no links (drop it to print what the link leads to)",
                    null,
                    null);
        }
        if (r instanceof PathResolver.TooManyLinks loop) {
            throw new ImagePathException(
                    ImagePathException.Kind.NOT_FOUND,
                    shown + ": too many levels of symbolic links at " + SafeText.escape(loop.path()) + " in " + where
                            + " (more than " + PathResolver.MAX_LINKS + "; a loop?)",
                    null,
                    null);
        }
        if (r instanceof PathResolver.NotADirectory notDir) {
            throw new ImagePathException(
                    ImagePathException.Kind.NOT_FOUND,
                    shown + ": " + SafeText.escape(notDir.path()) + " is not a directory in " + where,
                    null,
                    null);
        }
        PathResolver.Missing missing = (PathResolver.Missing) r;
        if (missing.link() != null) {
            String hint = request.layer() == null
                    ? ""
                    : " (IDX reads that layer alone; without IDX links resolve across the layers)";
            throw new ImagePathException(
                    ImagePathException.Kind.NOT_FOUND,
                    shown + ": link " + SafeText.escape(missing.link()) + " -> "
                            + SafeText.escape(missing.linkTarget()) + " leads to " + SafeText.escape(missing.path())
                            + ", which is not in " + where + hint,
                    null,
                    null);
        }
        throw new ImagePathException(
                ImagePathException.Kind.NOT_FOUND,
                shown + ": no such file or directory in " + where,
                missing.path(),
                missing.existingParent());
    }

    private String where(Integer layer) {
        return layer == null
                ? "the merged view of " + image.reference()
                : "layer " + layer + " of " + image.reference();
    }

    private static String describe(EntryType type) {
        return switch (type) {
            case CHAR_DEVICE -> "a character device";
            case BLOCK_DEVICE -> "a block device";
            case FIFO -> "a fifo";
            case SYMLINK -> "a symbolic link";
            default -> "an entry of an unknown type";
        };
    }

    /** Reads again the layers holding contents the first pass did not keep, for those files alone. */
    private void readMissing(Collection<Key> sources, Pass pass) {
        Map<Integer, Set<String>> missing = new TreeMap<>();
        for (Key source : sources) {
            if (!pass.spools.containsKey(source)) {
                missing.computeIfAbsent(source.layer(), l -> new LinkedHashSet<>())
                        .add(source.path());
            }
        }
        for (Map.Entry<Integer, Set<String>> layer : missing.entrySet()) {
            int index = layer.getKey();
            Set<String> paths = layer.getValue();
            LayerBlob.read(client, image.reference(), image.layers().get(index), (entry, content) -> {
                if (entry.type() == EntryType.FILE && paths.contains(entry.path())) {
                    pass.keep(new Key(index, entry.path()), content);
                }
                return true;
            });
            for (String path : paths) {
                if (!pass.spools.containsKey(new Key(index, path))) {
                    throw new ImagePathException(
                            ImagePathException.Kind.NOT_FOUND,
                            "a hard link leads to " + SafeText.escape(path) + ", which is not a regular file in layer "
                                    + index + " of " + image.reference(),
                            null,
                            null);
                }
            }
        }
    }

    /** A file's contents as one layer wrote them. */
    private record Key(int layer, String path) {}

    /** The first pass over the layers: metadata of everything, contents of what PATHs may need. */
    private static final class Pass {
        final MergedFileSystem tree = new MergedFileSystem();
        final Map<Key, ContentSpool> spools = new HashMap<>();
        /** Paths whose contents are kept, each with the PATHs (by index) it may be the file of. */
        final Map<String, Set<Integer>> wanted = new HashMap<>();
        /**
         * Every path a PATH's walk looks up while it meets no link: a regular file there is kept in a compact
         * {@link #tree} (not its contents), so that a PATH missing there, or through a file ({@code etc/passwd/x}),
         * is told from this one pass.
         */
        final Set<String> watched = new HashSet<>();
        /** PATHs found while streaming but not yet written, with the contents that hold them. */
        final Map<Integer, Key> pending = new HashMap<>();

        final Request request;
        final ContentSpool.Budget budget;
        final Scratch scratch;
        final OutputStream out;
        final boolean[] written;
        int layer;
        int nextToWrite;

        /** Whether regular files no PATH may need are left out of {@link #tree} (their directories stay). */
        final boolean compact;

        Pass(Request request, ContentSpool.Budget budget, Scratch scratch, OutputStream out, boolean compact) {
            this.compact = compact;
            this.request = request;
            this.budget = budget;
            this.scratch = scratch;
            this.out = out;
            this.written = new boolean[request.paths().size()];
            for (int i = 0; i < request.paths().size(); i++) {
                want(Lexical.normalize(request.paths().get(i)), i);
                watched.addAll(PathResolver.lookups(request.paths().get(i)));
            }
        }

        private void want(String path, int request) {
            if (wanted.size() < MAX_WANTED) {
                wanted.computeIfAbsent(path, p -> new LinkedHashSet<>()).add(request);
            }
        }

        /** A pass like this one over the whole tree, keeping what this one has written and holds. */
        Pass whole() {
            Pass whole = new Pass(request, budget, scratch, out, false);
            System.arraycopy(written, 0, whole.written, 0, written.length);
            whole.nextToWrite = nextToWrite;
            whole.pending.putAll(pending);
            whole.spools.putAll(spools);
            return whole;
        }

        boolean allWritten() {
            return nextToWrite == written.length;
        }

        boolean visit(LayerEntry entry, InputStream content) throws IOException {
            if (compact
                    && entry.type() == EntryType.FILE
                    && !wanted.containsKey(entry.path())
                    && !watched.contains(entry.path())
                    // a file over an earlier entry at its path replaces it, as in the whole tree
                    && tree.get(entry.path()).isEmpty()) {
                impliedDirectories(entry.path());
            } else {
                tree.apply(layer, entry);
            }
            if (entry.type() == EntryType.SYMLINK) {
                followGuess(entry);
            } else if (entry.type() == EntryType.FILE && wanted.containsKey(entry.path())) {
                if (!request.unverified() || request.layer() == null) {
                    keep(new Key(layer, entry.path()), content);
                } else {
                    return stream(entry, content);
                }
            }
            return true;
        }

        /** The directories above a file left out: they exist, though their tar may list no entry of their own. */
        private void impliedDirectories(String path) {
            for (String dir = LayerPath.parent(path); !dir.isEmpty(); dir = LayerPath.parent(dir)) {
                if (tree.get(dir).isPresent()) {
                    return;
                }
                tree.apply(layer, LayerEntry.of(dir, EntryType.DIRECTORY, 0755));
            }
        }

        /** A symbolic link at or above a wanted path: where it leads is wanted too. */
        private void followGuess(LayerEntry link) {
            for (Map.Entry<String, Set<Integer>> w : List.copyOf(wanted.entrySet())) {
                String path = w.getKey();
                if (LayerPath.isSelfOrBelow(path, link.path())) {
                    String rest = path.substring(link.path().length());
                    String base = link.linkTarget().startsWith("/") ? "" : LayerPath.parent(link.path()) + "/";
                    String guess = Lexical.normalize(base + link.linkTarget() + rest);
                    for (int request : w.getValue()) {
                        want(guess, request);
                    }
                }
            }
        }

        void keep(Key key, InputStream content) throws IOException {
            ContentSpool previous = spools.remove(key);
            if (previous != null) {
                previous.release(); // a later entry at the same path in the same tar replaces it
            }
            ContentSpool spool = new ContentSpool(budget, scratch);
            spools.put(key, spool);
            spool.fill(content);
        }

        /**
         * Unverified, one layer: the first regular file at a PATH (or where its links were seen to lead) is its
         * file. Written at once if it is the next to write, else kept until its turn.
         *
         * @return whether to read on
         */
        private boolean stream(LayerEntry entry, InputStream content) throws IOException {
            List<Integer> open = new ArrayList<>();
            for (int r : wanted.get(entry.path())) {
                if (!written[r]) {
                    open.add(r);
                }
            }
            if (open.isEmpty()) {
                return true;
            }
            Key key = new Key(layer, entry.path());
            if (open.equals(List.of(nextToWrite))) {
                content.transferTo(out);
                written[nextToWrite] = true;
            } else {
                keep(key, content);
                for (int r : open) {
                    written[r] = true;
                    pending.put(r, key);
                }
            }
            while (nextToWrite < written.length && written[nextToWrite]) {
                Key held = pending.remove(nextToWrite);
                if (held != null) {
                    spools.get(held).writeTo(out);
                }
                nextToWrite++;
            }
            return nextToWrite < written.length;
        }
    }

    /** The private temporary directory for contents too large for memory, made on first need. */
    private static final class Scratch implements ContentSpool.Overflow, AutoCloseable {
        private final Path parent;
        private ScratchDirectory directory;
        private int files;

        Scratch(Path parent) {
            this.parent = parent;
        }

        @Override
        public Path newFile() throws IOException {
            if (directory == null) {
                directory = ScratchDirectory.create(parent, "regx-cat-");
            }
            return Files.createFile(directory.path().resolve("contents-" + files++));
        }

        @Override
        public void close() {
            if (directory != null) {
                directory.close();
            }
        }
    }
}
