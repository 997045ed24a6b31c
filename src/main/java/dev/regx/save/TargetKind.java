package dev.regx.save;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What sits at the path a layer is saved to, following symbolic links, which decides how it is written: a file
 * goes through {@code NAME.part} and a rename; a stream is written to as it is, like {@code -o -}.
 */
public enum TargetKind {
    /** Nothing there yet: a new file. */
    ABSENT,
    /** A regular file: replaced (with {@code --force}) unless it already holds the blob. */
    FILE,
    /**
     * A character device or a FIFO ({@code /dev/null}, a terminal, a named pipe), or one of regx's own open
     * files ({@code /dev/stdout}, {@code /dev/fd/N}): written to directly. Renaming a {@code .part} over it
     * would replace the device node or the link rather than write to it, and what is written cannot be
     * taken back or resumed.
     */
    STREAM,
    /** A directory: nothing regx can write the layer into under that name. */
    DIRECTORY,
    /** A block device or a socket: not something to write a layer to. */
    OTHER;

    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;
    private static final int S_IFCHR = 0020000;

    public static TargetKind of(Path target) {
        if (isOwnOpenFile(target)) {
            return STREAM;
        }
        if (!Files.exists(target)) {
            return ABSENT; // also a dangling symbolic link
        }
        if (Files.isRegularFile(target)) {
            return FILE;
        }
        if (Files.isDirectory(target)) {
            return DIRECTORY;
        }
        int type = fileType(target);
        return type == S_IFCHR || type == S_IFIFO ? STREAM : OTHER;
    }

    /**
     * Whether writing to {@code output} writes to a pipe or a socket, links followed: Linux shows an open one
     * as a link to "pipe:[N]" or "socket:[N]" ({@code /dev/stdout -> /proc/self/fd/1 -> pipe:[123]}); a named
     * pipe has its file type.
     */
    public static boolean isPipeOrSocket(Path output) {
        List<Path> chain = LinkedPath.chain(output);
        for (Path hop : chain) {
            Path name = hop.getFileName();
            if (name != null
                    && (name.toString().startsWith("pipe:") || name.toString().startsWith("socket:"))) {
                return true;
            }
        }
        return fileType(chain.get(chain.size() - 1)) == S_IFIFO;
    }

    /** The file type bits of {@code path}'s mode, links followed; -1 when they cannot be read. */
    private static int fileType(Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:mode") & S_IFMT;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | SecurityException e) {
            return -1;
        }
    }

    /**
     * Whether following {@code target}'s links leads through {@code /proc/self/fd}, which is what
     * {@code /dev/stdout}, {@code /dev/stderr} and {@code /dev/fd/N} are: one of this process's open files,
     * which its shell opened for it. When stdout is redirected to a file, {@code /dev/stdout} looks like that
     * regular file, but the user means the redirection, not a file to replace beside {@code /dev}.
     */
    private static boolean isOwnOpenFile(Path target) {
        Path ownDescriptors =
                Path.of("/proc", Long.toString(ProcessHandle.current().pid()), "fd");
        for (Path hop : LinkedPath.chain(target.toAbsolutePath())) {
            Path parent = hop.getParent();
            try {
                if (parent != null && parent.toRealPath().equals(ownDescriptors)) {
                    return true;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return false;
    }
}
