package dev.regx.files;

import dev.regx.layer.EntryType;
import dev.regx.layer.LayerEntry;
import dev.regx.layer.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Writes tar entries into a directory, safe against a hostile layer, at least as GNU tar's defaults and the OCI
 * image spec ask:
 * <ul>
 *   <li>no entry lands outside the directory: absolute names are taken relative to it, and a name whose
 *       {@code ..} components would leave it is refused;</li>
 *   <li>nothing is written through a symbolic link: every directory on an entry's way must be a real directory,
 *       so {@code link -> /etc} followed by {@code link/passwd} is refused, and an existing entry at the name is
 *       unlinked, never opened;</li>
 *   <li>a hard link may only point at an entry already written inside the directory;</li>
 *   <li>devices and fifos only as root when asked, owners only as root when asked, setuid and setgid bits only
 *       when asked.</li>
 * </ul>
 * Each refused or skipped entry is one warning (its name escaped). Directory modes and times are applied last,
 * deepest first, so a read-only directory still receives its entries and its time is the tar's.
 *
 * <p>The directory must be regx's own (a private {@link ScratchDirectory}): nobody else can race the checks.
 */
final class TreeWriter {
    private static final int SETID_BITS = 06000;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final int COPY_BUFFER = 64 * 1024;

    private final Path root;
    private final ExtractOptions options;
    private final Consumer<String> warnings;
    private final Consumer<String> verbose;
    private final CharsetEncoder names =
            Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8")).newEncoder();
    /** Directories whose mode and time wait for the end, by path. */
    private final Map<String, LayerEntry> directories = new HashMap<>();

    private int refused;
    private int skipped;
    private int whiteouts;

    /**
     * @param warnings receives one line per refused or skipped entry (without the {@code regx: } prefix)
     * @param verbose receives each entry's (escaped) path as it is written, for {@code -v}; may do nothing
     */
    TreeWriter(Path root, ExtractOptions options, Consumer<String> warnings, Consumer<String> verbose) {
        this.root = root;
        this.options = options;
        this.warnings = warnings;
        this.verbose = verbose;
    }

    /** Entries refused as unsafe. */
    int refused() {
        return refused;
    }

    /** Entries skipped by choice: devices, fifos and types regx does not write. */
    int skipped() {
        return skipped;
    }

    /** Whiteout markers left out of a single layer. */
    int whiteouts() {
        return whiteouts;
    }

    /** Counts a whiteout marker that is not written. */
    void skipWhiteout() {
        whiteouts++;
    }

    /**
     * Writes one entry; {@code content} is its data for a regular file.
     *
     * @throws IOException only as {@code content}'s reads throw it (the blob's failure)
     * @throws LocalFileException when writing fails (disk full, permission denied)
     */
    void write(LayerEntry entry, InputStream content) throws IOException {
        try {
            writeEntry(entry, content);
        } catch (ContentReadFailure e) {
            throw e.getCause();
        } catch (IOException e) {
            throw local(entry.path(), e);
        }
    }

    private static LocalFileException local(String path, IOException e) {
        return new LocalFileException("cannot write " + SafeText.escape(path) + ": " + e, e);
    }

    /** A read of an entry's contents failed: the blob's failure, carried past the local-failure handling. */
    private static final class ContentReadFailure extends RuntimeException {
        ContentReadFailure(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private void writeEntry(LayerEntry entry, InputStream content) throws IOException {
        List<String> parts = components(entry.path());
        if (parts == null) {
            refuse(entry.path(), "its name leaves the directory through '..'");
            return;
        }
        if (parts.isEmpty()) {
            if (entry.type() == EntryType.DIRECTORY) {
                directories.put("", entry); // "./": the mode and time of the directory itself
            }
            return;
        }
        String unwritable = unencodable(entry.path(), parts);
        if (unwritable != null) {
            refuse(entry.path(), unwritable);
            return;
        }
        Path parent = parentDirectory(entry.path(), parts);
        if (parent == null) {
            return;
        }
        Path target = parent.resolve(parts.get(parts.size() - 1));
        switch (entry.type()) {
            case DIRECTORY -> directory(entry, target, parts);
            case FILE -> file(entry, target, content);
            case SYMLINK -> symlink(entry, target);
            case HARDLINK -> hardlink(entry, target);
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> special(entry, target);
            default -> skip(entry.path(), "is of a type regx does not write");
        }
    }

    /**
     * Deletes what lies at {@code path} (and under it), never following a link: a whiteout of a later layer.
     * A path that does not resolve inside the directory without links is left alone.
     */
    void delete(String path) {
        try {
            deletePath(path);
        } catch (IOException e) {
            throw local(path, e);
        }
    }

    private void deletePath(String path) throws IOException {
        List<String> parts = components(path);
        if (parts == null || parts.isEmpty() || unencodable(path, parts) != null) {
            return;
        }
        Path at = root;
        for (String part : parts.subList(0, parts.size() - 1)) {
            at = at.resolve(part);
            BasicFileAttributes a = attributes(at);
            if (a == null || !a.isDirectory()) {
                return;
            }
        }
        Path target = at.resolve(parts.get(parts.size() - 1));
        forget(String.join("/", parts));
        ScratchDirectory.removeTree(target);
    }

    /** Deletes everything under directory {@code path} that {@code keep} does not accept: an opaque marker. */
    void deleteChildren(String path, Predicate<String> keep) {
        try {
            deleteChildrenOf(path, keep);
        } catch (IOException e) {
            throw local(path, e);
        }
    }

    private void deleteChildrenOf(String path, Predicate<String> keep) throws IOException {
        List<String> parts = components(path);
        if (parts == null || unencodable(path, parts) != null) {
            return;
        }
        Path at = root;
        for (String part : parts) {
            at = at.resolve(part);
            BasicFileAttributes a = attributes(at);
            if (a == null || !a.isDirectory()) {
                return;
            }
        }
        deleteUnkept(at, parts.isEmpty() ? "" : String.join("/", parts) + "/", keep);
    }

    private void deleteUnkept(Path dir, String prefix, Predicate<String> keep) throws IOException {
        List<Path> children;
        try (var list = Files.list(dir)) {
            children = list.toList();
        }
        for (Path child : children) {
            String path = prefix + child.getFileName();
            BasicFileAttributes a = attributes(child);
            if (keep.test(path)) {
                if (a != null && a.isDirectory()) {
                    deleteUnkept(child, path + "/", keep);
                }
            } else {
                forget(path);
                ScratchDirectory.removeTree(child);
            }
        }
    }

    private void forget(String path) {
        directories.keySet().removeIf(d -> d.equals(path) || d.startsWith(path + "/"));
    }

    /** Applies the directories' modes, owners and times, deepest first. */
    void finish() throws IOException {
        List<String> paths = new ArrayList<>(directories.keySet());
        paths.sort(Comparator.comparingInt((String p) -> p.isEmpty() ? 0 : p.split("/").length)
                .reversed());
        for (String path : paths) {
            Path dir = path.isEmpty() ? root : root.resolve(path);
            BasicFileAttributes a = attributes(dir);
            if (a != null && a.isDirectory() && !a.isSymbolicLink()) {
                LayerEntry e = directories.get(path);
                owner(dir, e);
                mode(dir, e.mode());
                times(dir, e.mtime());
            }
        }
        if (!directories.containsKey("")) {
            mode(root, 0755); // the private scratch directory was 0700; a tree without "./" gets tar's default
        }
    }

    private void directory(LayerEntry entry, Path target, List<String> parts) throws IOException {
        BasicFileAttributes existing = attributes(target);
        if (existing != null && !existing.isDirectory()) {
            Files.delete(target);
            existing = null;
        }
        if (existing == null) {
            Files.createDirectory(target);
        }
        directories.put(String.join("/", parts), entry);
        verbose.accept(SafeText.escape(entry.path()) + "/");
    }

    private void file(LayerEntry entry, Path target, InputStream content) throws IOException {
        clear(target);
        try (OutputStream out = Files.newOutputStream(
                target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            byte[] buffer = new byte[COPY_BUFFER];
            while (true) {
                int n;
                try {
                    n = content.read(buffer);
                } catch (IOException e) {
                    throw new ContentReadFailure(e);
                }
                if (n < 0) {
                    break;
                }
                out.write(buffer, 0, n);
            }
        } catch (FileAlreadyExistsException e) {
            refuse(entry.path(), "something appeared at its name while it was written");
            return;
        }
        owner(target, entry);
        mode(target, entry.mode());
        times(target, entry.mtime());
        verbose.accept(SafeText.escape(entry.path()));
    }

    private void symlink(LayerEntry entry, Path target) throws IOException {
        if (!names.canEncode(entry.linkTarget())) {
            refuse(entry.path(), "its link target cannot be written in this system's file name encoding");
            return;
        }
        clear(target);
        // The target is written as it is, absolute or not: a link is data until something follows it, and
        // nothing regx writes ever does.
        Files.createSymbolicLink(target, target.getFileSystem().getPath(entry.linkTarget()));
        if (options.sameOwner() && options.root()) {
            ownerNoFollow(target, entry);
        }
        try {
            Files.getFileAttributeView(target, BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(FileTime.from(entry.mtime()), null, null);
        } catch (IOException | UnsupportedOperationException e) {
            // A link's own time is cosmetic; not every system can set it.
        }
        verbose.accept(SafeText.escape(entry.path()) + " -> " + SafeText.escape(entry.linkTarget()));
    }

    private void hardlink(LayerEntry entry, Path target) throws IOException {
        List<String> parts = components(entry.linkTarget());
        if (parts == null || parts.isEmpty()) {
            refuse(
                    entry.path(),
                    "it is a hard link to " + SafeText.escape(entry.linkTarget()) + ", outside the directory");
            return;
        }
        if (unencodable(entry.linkTarget(), parts) != null) {
            refuse(entry.path(), "its link target cannot be written in this system's file name encoding");
            return;
        }
        Path existing = root;
        for (int i = 0; i < parts.size(); i++) {
            existing = existing.resolve(parts.get(i));
            BasicFileAttributes a = attributes(existing);
            boolean last = i == parts.size() - 1;
            if (a == null || a.isSymbolicLink() && !last || !last && !a.isDirectory() || last && a.isDirectory()) {
                refuse(
                        entry.path(),
                        "it is a hard link to " + SafeText.escape(entry.linkTarget())
                                + ", which is not a file already written inside the directory");
                return;
            }
        }
        if (existing.equals(target)) {
            return; // a link to itself: the file is already there
        }
        clear(target);
        Files.createLink(target, existing);
        verbose.accept(SafeText.escape(entry.path()) + " link to " + SafeText.escape(entry.linkTarget()));
    }

    private void special(LayerEntry entry, Path target) throws IOException {
        if (!options.devices() || !options.root()) {
            String kind = entry.type() == EntryType.FIFO ? "fifo" : "device";
            skip(
                    entry.path(),
                    "is a " + kind
                            + (options.root()
                                    ? "; --devices creates it"
                                    : "; only root can create it, with --devices"));
            return;
        }
        clear(target);
        String type = switch (entry.type()) {
            case CHAR_DEVICE -> "c";
            case BLOCK_DEVICE -> "b";
            default -> "p";
        };
        List<String> command = new ArrayList<>(
                List.of("mknod", "-m", Integer.toOctalString(entry.mode() & 0777), "--", target.toString(), type));
        if (!type.equals("p")) {
            command.add(Integer.toString(entry.devMajor()));
            command.add(Integer.toString(entry.devMinor()));
        }
        if (!run(command, entry, target)) {
            return;
        }
        // No owner or time through Java: it opens the node to set them, which blocks on a fifo without a reader
        // and could start a device. chown -h changes the node itself.
        if (options.sameOwner()) {
            run(List.of("chown", "-h", entry.uid() + ":" + entry.gid(), "--", target.toString()), entry, target);
        }
        verbose.accept(SafeText.escape(entry.path()));
    }

    /** Runs a helper ({@code mknod}, {@code chown}); false, with the entry skipped, if it fails. */
    private boolean run(List<String> command, LayerEntry entry, Path target) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                skip(entry.path(), command.get(0) + " failed: " + output.strip());
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating " + target, e);
        }
    }

    /**
     * Removes whatever is at {@code target} (a lower layer's file, a directory a file replaces), never following
     * it.
     */
    private static void clear(Path target) throws IOException {
        BasicFileAttributes a = attributes(target);
        if (a == null) {
            return;
        }
        if (a.isDirectory()) {
            ScratchDirectory.removeTree(target);
        } else {
            Files.delete(target);
        }
    }

    /**
     * The directory {@code parts} (but the last) name, each made if missing; null, with the entry refused, if
     * one of them is a symbolic link or not a directory.
     */
    private Path parentDirectory(String name, List<String> parts) throws IOException {
        Path dir = root;
        for (int i = 0; i < parts.size() - 1; i++) {
            dir = dir.resolve(parts.get(i));
            BasicFileAttributes a = attributes(dir);
            if (a == null) {
                Files.createDirectory(dir);
            } else if (a.isSymbolicLink()) {
                refuse(
                        name,
                        "it would be written through the symbolic link "
                                + SafeText.escape(String.join("/", parts.subList(0, i + 1))));
                return null;
            } else if (!a.isDirectory()) {
                refuse(name, SafeText.escape(String.join("/", parts.subList(0, i + 1))) + " is not a directory");
                return null;
            }
        }
        return dir;
    }

    private void owner(Path path, LayerEntry entry) throws IOException {
        if (options.sameOwner() && options.root()) {
            Files.setAttribute(path, "unix:uid", (int) entry.uid(), NOFOLLOW);
            Files.setAttribute(path, "unix:gid", (int) entry.gid(), NOFOLLOW);
        }
    }

    private void ownerNoFollow(Path link, LayerEntry entry) {
        try {
            owner(link, entry);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every system changes a link's own owner.
        }
    }

    /** Sets the permission bits, setuid and setgid only when asked (chown, which clears them, came first). */
    private void mode(Path path, int mode) throws IOException {
        int kept = options.preservePermissions() ? mode & 07777 : mode & 07777 & ~SETID_BITS;
        Files.setAttribute(path, "unix:mode", kept, NOFOLLOW);
    }

    private static void times(Path path, Instant mtime) throws IOException {
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW)
                .setTimes(FileTime.from(mtime), null, null);
    }

    private static BasicFileAttributes attributes(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, NOFOLLOW);
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private void refuse(String name, String why) {
        refused++;
        warnings.accept("refused " + SafeText.escape(name) + ": " + why);
    }

    private void skip(String name, String why) {
        skipped++;
        warnings.accept("skipped " + SafeText.escape(name) + ": " + why);
    }

    /** Why a name cannot be made a file name here (bytes that are not valid in the file name encoding), or null. */
    private String unencodable(String name, List<String> parts) {
        for (String part : parts) {
            if (!names.canEncode(part)) {
                return "its name cannot be written in this system's file name encoding ("
                        + names.charset().name() + "; a UTF-8 locale such as C.UTF-8 takes any valid UTF-8)";
            }
        }
        return null;
    }

    /**
     * {@code name}'s components with {@code .} and empty ones dropped and {@code ..} applied; absolute names are
     * relative to the directory. Null if {@code ..} would leave it.
     */
    static List<String> components(String name) {
        List<String> parts = new ArrayList<>();
        for (String c : name.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (parts.isEmpty()) {
                    return null;
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(c);
            }
        }
        return parts;
    }
}
