package dev.regx.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/**
 * Whether stdout and stderr are terminals, and how wide. Decides progress bars (terminal only) and
 * truncation (terminal only: a pipe gets whole lines). Checked through {@code /proc/self/fd} on Linux,
 * because {@code System.console()} on Java 17 needs stdin to be a terminal too.
 */
public final class Terminal {
    private Terminal() {}

    public static boolean isStdoutTerminal() {
        return isTerminal(1);
    }

    public static boolean isStderrTerminal() {
        return isTerminal(2);
    }

    static boolean isTerminal(int fd) {
        try {
            String target =
                    Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    /** The terminal's width: {@code $COLUMNS}, else what {@code stty size} says of {@code /dev/tty}. */
    public static OptionalInt width() {
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{1,4}") && Integer.parseInt(columns) > 0) {
            return OptionalInt.of(Integer.parseInt(columns));
        }
        try {
            Process p = new ProcessBuilder("stty", "size")
                    .redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(2, TimeUnit.SECONDS) && p.exitValue() == 0 && out.matches("\\d+ \\d+")) {
                int width = Integer.parseInt(out.split(" ")[1]);
                return width > 0 ? OptionalInt.of(width) : OptionalInt.empty();
            }
        } catch (IOException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalInt.empty();
    }
}
