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

    /**
     * The uid owning {@code path} itself (a link, not what it points to) when that is neither the running user
     * nor, with {@code rootToo}, root; empty for a file of trusted ownership, and where the system has no uids.
     */
    static OptionalLong foreignOwner(Path path, boolean rootToo) throws IOException {
        long owner;
        try {
            owner = ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return OptionalLong.empty();
        }
        boolean trusted = owner == new UnixSystem().getUid() || (rootToo && owner == ROOT);
        return trusted ? OptionalLong.empty() : OptionalLong.of(owner);
    }
}
