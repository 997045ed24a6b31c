package dev.regx.save;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directory {@code regx save} writes its files into, made ready before anything is fetched: a bad
 * {@code -o} then fails at once, not after the manifest and a layer have been downloaded.
 */
public final class OutputDirectory {
    private OutputDirectory() {}

    /** Creates {@code directory} and its missing parents, as {@code mkdir -p} does, then {@link #check}s it. */
    public static void create(Path directory) throws LocalWriteException {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            Path existing = nearestExisting(directory);
            if (!Files.isDirectory(existing)) {
                throw notADirectory(directory, existing);
            }
            throw new LocalWriteException(
                    "cannot create " + directory + ": " + PartFileSink.reason(e) + "; save elsewhere with -o", e);
        }
        checkExists(directory);
    }

    /** Checks that {@code directory} (the empty path for the current one) exists and regx may create files there. */
    public static void check(Path directory) throws LocalWriteException {
        checkExists(directory);
        checkWritable(directory);
    }

    /** Checks that {@code directory} (the empty path for the current one) exists and is a directory. */
    public static void checkExists(Path directory) throws LocalWriteException {
        if (!Files.isDirectory(directory)) {
            Path existing = nearestExisting(directory);
            if (!Files.isDirectory(existing)) {
                throw notADirectory(directory, existing);
            }
            throw new LocalWriteException(
                    "cannot write into " + directory + ": no such directory; create it, or end -o"
                            + " with / to have regx create it",
                    null);
        }
    }

    /**
     * Checks that regx may create files in {@code directory}. Only asked when a file is to be created there: a
     * layer already saved, in a directory since made read-only, is still "already saved".
     */
    public static void checkWritable(Path directory) throws LocalWriteException {
        if (!Files.isWritable(directory) || !Files.isExecutable(directory)) {
            throw new LocalWriteException(
                    "cannot write into " + nameOf(directory) + ": "
                            + (readOnly(directory) ? "read-only file system" : "permission denied")
                            + "; save elsewhere with -o",
                    null);
        }
    }

    private static LocalWriteException notADirectory(Path directory, Path existing) {
        return new LocalWriteException(
                "cannot write into " + directory + ": " + existing + " is not a directory;" + " save elsewhere with -o",
                null);
    }

    private static String nameOf(Path directory) {
        return directory.toString().isEmpty() ? "the current directory" : directory.toString();
    }

    /** The closest of {@code path} and its ancestors that exists. */
    private static Path nearestExisting(Path path) {
        for (Path p = path.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }

    private static boolean readOnly(Path directory) {
        try {
            return Files.getFileStore(directory).isReadOnly();
        } catch (IOException e) {
            return false;
        }
    }
}
