package dev.regx.save;

import com.sun.security.auth.module.UnixSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Who owns a file, as the kernel's {@code fs.protected_symlinks} rule asks it: in a shared directory such as
 * {@code /tmp}, a link or {@code .part} planted by another user must not decide where regx writes, nor become
 * the "verified" file that user can still change.
 */
final class FileOwner {
    private static final long ROOT = 0;

    private FileOwner() {}

    /** The uid owning {@code path} itself (a link, not what it points to); empty where the system has no uids. */
    static OptionalLong uidOf(Path path) throws IOException {
        try {
            Object uid = Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return OptionalLong.of(((Number) uid).longValue());
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
    }

    /** The uid this process runs as. */
    static long runningUid() {
        return new UnixSystem().getUid();
    }

    /** Whether {@code path} belongs to the running user, or to root when {@code rootToo} (root's links are trusted). */
    static boolean isTrusted(Path path, boolean rootToo) throws IOException {
        OptionalLong uid = uidOf(path);
        if (uid.isEmpty()) {
            return true;
        }
        long owner = uid.getAsLong();
        return owner == runningUid() || (rootToo && owner == ROOT);
    }

    /** The owner for a message: the uid, never a name looked up elsewhere. */
    static String describe(Path path) {
        try {
            OptionalLong uid = uidOf(path);
            return uid.isPresent() ? "uid " + uid.getAsLong() : "another user";
        } catch (IOException e) {
            return "another user";
        }
    }
}
