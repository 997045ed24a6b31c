package dev.regx.save;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Where a file written at a path ends up when the path is a symbolic link: its links followed, whether or not
 * the last one leads to a file that exists yet.
 *
 * <p>Why: a file is saved as {@code NAME.part} and renamed to its name when complete, and a rename onto a
 * link replaces the link, not the file it points to. {@code -o current.tar.gzip}, a link to
 * {@code archive/layer-0.tar.gzip}, must write that file and leave the link in place, as {@code cp} and
 * {@code curl -o} do; the {@code .part} then sits beside the file it becomes, so the rename stays within one
 * directory.
 */
final class LinkedPath {
    /** As the kernel does, give up on a chain of links longer than this (ELOOP). */
    private static final int MAX_LINKS = 40;

    private LinkedPath() {}

    /**
     * {@code path} with its symbolic links followed; {@code path} itself when it is no link.
     *
     * @throws LocalWriteException for a chain of links that does not end, as opening it would fail
     */
    static Path of(Path path) throws LocalWriteException {
        List<Path> chain = chain(path);
        for (Path hop : chain.subList(0, chain.size() - 1)) {
            refuseForeignLink(path, hop);
        }
        Path last = chain.get(chain.size() - 1);
        if (chain.size() > MAX_LINKS && Files.isSymbolicLink(last)) {
            throw new LocalWriteException(
                    "cannot write " + path + ": too many levels of symbolic links (a loop?);"
                            + " fix the link, or save elsewhere with -o",
                    null);
        }
        return last;
    }

    /**
     * Refuses to follow a link another user owns, as the kernel refuses in a sticky world-writable directory
     * ({@code fs.protected_symlinks}): regx reads links itself, so that protection would never apply, and a
     * link planted at the default file name in {@code /tmp} would make regx write the planter's choice of file.
     * Links of the running user and of root are followed anywhere.
     */
    private static void refuseForeignLink(Path path, Path link) throws LocalWriteException {
        OptionalLong owner;
        try {
            owner = FileOwner.foreignOwner(link, true);
        } catch (IOException e) {
            return; // gone or unreadable: writing there will say what is wrong
        }
        if (owner.isPresent()) {
            throw new LocalWriteException(
                    "refusing to write " + path + ": " + link + " is a symbolic link owned by uid " + owner.getAsLong()
                            + ", not by you; remove it, or save elsewhere with -o",
                    null);
        }
    }

    /**
     * {@code path} and each path its links lead to in turn, at most {@link #MAX_LINKS} links on; a link that
     * cannot be read ends the chain (writing there will say what is wrong).
     */
    static List<Path> chain(Path path) {
        List<Path> chain = new ArrayList<>();
        chain.add(path);
        Path current = path;
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(current); i++) {
            try {
                Path target = Files.readSymbolicLink(current);
                Path parent = current.toAbsolutePath().getParent();
                // Not normalised: ".." after a linked directory is for the kernel to resolve, not for string editing.
                current = parent == null ? target : parent.resolve(target);
            } catch (IOException | UnsupportedOperationException e) {
                break;
            }
            chain.add(current);
        }
        return chain;
    }
}
