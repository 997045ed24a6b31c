package dev.regx.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A directory regx owns for the length of one command and removes on every way out: {@link #close()} on the
 * normal and failing paths, a shutdown hook on Ctrl-C and SIGTERM (the JVM runs hooks for both; only SIGKILL
 * leaves it behind). Made with mode 0700, so another user on the machine can neither read what is held in it
 * nor plant anything there.
 */
public final class ScratchDirectory implements AutoCloseable {
    private final Path path;
    private final Thread hook;
    private boolean closed;

    private ScratchDirectory(Path path) {
        this.path = path;
        this.hook = new Thread(this::removeOnExit, "regx-remove-" + path.getFileName());
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** A new private directory inside {@code parent}, named {@code prefix} and a random part. */
    public static ScratchDirectory create(Path parent, String prefix) throws IOException {
        return new ScratchDirectory(Files.createTempDirectory(
                parent, prefix, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))));
    }

    public Path path() {
        return path;
    }

    /**
     * Hands the directory over: it is no longer removed on exit (it was renamed to its final name, say). The
     * caller must already have moved it away, or it stays behind.
     */
    public synchronized void keep() {
        closed = true;
        removeHook();
    }

    /** Removes the directory and everything in it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeHook();
        try {
            removeTree(path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + path + ": " + e.getMessage(), e);
        }
    }

    private void removeHook() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is running or about to: it removes the directory.
        }
    }

    /**
     * The shutdown hook's removal, while the command's own thread may still be writing into the directory (the JVM
     * runs hooks beside the other threads). The directory is first renamed out of that thread's way, atomically:
     * its next file or directory fails to be made, as the path it names no longer exists, so the tree removed
     * here stops growing. Removing it in place could lose that race and leave a file (and so the directory) behind.
     */
    synchronized void removeOnExit() {
        if (!closed) {
            closed = true;
            Path doomed = path.resolveSibling(path.getFileName() + ".removing");
            try {
                Files.move(path, doomed, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                doomed = path; // gone already, or not movable: remove it where it is
            }
            try {
                removeTree(doomed);
            } catch (IOException | RuntimeException e) {
                // Exiting anyway; nothing left to tell.
            }
        }
    }

    /** Deletes {@code root} and everything below it, never following a symbolic link out of it. */
    static void removeTree(Path root) throws IOException {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                // A directory extracted without write permission must still lose its entries.
                if (!Files.isWritable(dir)) {
                    dir.toFile().setWritable(true, true);
                    dir.toFile().setExecutable(true, true);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
