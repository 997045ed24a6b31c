package dev.regx.save;

import dev.regx.registry.ImageReference;
import dev.regx.registry.manifest.ImageLayer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where {@code regx save} puts its files, as {@code -o} says: a directory, where each layer gets its default
 * name ({@link LayerFileName}), or one file.
 *
 * @param directory the directory (the empty path for the current one), or null when {@code file} is named
 * @param file the file to write, or null when a {@code directory} is named
 * @param create whether the directory is to be created if missing ({@code -o DIR/})
 */
public record Destination(Path directory, Path file, boolean create) {
    /**
     * What {@code -o output} names: nothing, the current directory; a path ending in {@code /} or an existing
     * directory, that directory; anything else, a file.
     */
    public static Destination of(String output) {
        if (output == null) {
            return new Destination(Path.of(""), null, false);
        }
        Path path = Path.of(output);
        if (output.endsWith("/")) {
            return new Destination(path, null, true);
        }
        return Files.isDirectory(path) ? new Destination(path, null, false) : new Destination(null, path, false);
    }

    /** Whether a single file is named, rather than a directory. */
    public boolean namesFile() {
        return file != null;
    }

    /**
     * Makes sure files can go where they are to go before anything is fetched: creates a directory named with
     * a trailing {@code /} (and its parents), checks that any other exists.
     */
    public void prepare() throws LocalWriteException {
        if (create) {
            OutputDirectory.create(directory);
        } else {
            OutputDirectory.checkExists(directory != null ? directory : parentOf(file));
        }
    }

    /** The file {@code layer} of {@code ref} is saved to. */
    public Path target(ImageReference ref, ImageLayer layer) {
        return file != null ? file : directory.resolve(LayerFileName.of(ref, layer.index(), layer.mediaType()));
    }

    /** The directory {@code file} is in (the empty path for the current one). */
    static Path parentOf(Path file) {
        return file.getParent() == null ? Path.of("") : file.getParent();
    }
}
