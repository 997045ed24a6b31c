package dev.regx.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether a failed write means that whoever read the output went away ({@code regx ... | head}): exit 141,
 * silently, as a program killed by SIGPIPE. Decided by what the output is, not only by the error's text: the
 * JVM words the system's error in the user's locale ("Datenübergabe unterbrochen (broken pipe)"), while a
 * write to a pipe or a socket fails for no other reason in practice.
 */
final class ReaderGone {
    /** Symbolic links followed at most, as the kernel does (/dev/stdout -> /proc/self/fd/1 -> pipe:[123]). */
    private static final int MAX_LINKS = 40;

    private static final int FILE_TYPE_MASK = 0170000;
    private static final int FIFO = 0010000;

    private ReaderGone() {}

    /** @param output what was written to: {@code /proc/self/fd/1} for stdout, or the path the user named; null if unknown */
    static boolean after(IOException failure, Path output) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("broken pipe")) {
                return true;
            }
        }
        return output != null && isPipeOrSocket(output);
    }

    /** Linux shows an open pipe or socket as a link to "pipe:[N]" or "socket:[N]"; a named pipe has its file type. */
    static boolean isPipeOrSocket(Path output) {
        try {
            Path p = output;
            for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
                Path target = Files.readSymbolicLink(p);
                String name = target.toString();
                if (name.startsWith("pipe:") || name.startsWith("socket:")) {
                    return true;
                }
                p = p.resolveSibling(target);
            }
            Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            return mode instanceof Integer m && (m & FILE_TYPE_MASK) == FIFO;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return false;
        }
    }
}
