package dev.regx.cli;

import dev.regx.save.TargetKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether a failed write means that whoever read the output went away ({@code regx ... | head}): exit 141,
 * silently, as a program killed by SIGPIPE. Decided by what the output is, not only by the error's text: the
 * JVM words the system's error in the user's locale ("Datenübergabe unterbrochen (broken pipe)"), while a
 * write to a pipe or a socket fails for no other reason in practice.
 */
final class ReaderGone {
    private ReaderGone() {}

    /**
     * @param output what was written to: {@code /proc/self/fd/1} for stdout, or the path the user named; null if
     * unknown
     */
    static boolean after(IOException failure, Path output) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && message.toLowerCase(Locale.ROOT).contains("broken pipe")) {
                return true;
            }
        }
        return output != null && TargetKind.isPipeOrSocket(output);
    }
}
