package dev.regx.cli;

import dev.regx.files.ImagePathException;
import dev.regx.registry.ImageReference;

/** The exit code and line for a PATH that names nothing, or nothing a command can take. */
final class ImagePathFailure {
    private ImagePathFailure() {}

    /** @param layer the layer read, or null for the merged view */
    static CommandFailure of(ImagePathException e, ImageReference image, Integer layer) {
        if (e.kind() == ImagePathException.Kind.NOT_A_FILE) {
            return new CommandFailure(ExitCode.USAGE, e.getMessage(), e);
        }
        if (e.path() != null) {
            // A plain "no such file": worded as ls words it, with the listing of the deepest parent that exists.
            return MissingPath.failure(image, layer, e.path(), e.existingParent());
        }
        return new CommandFailure(ExitCode.NOT_FOUND, e.getMessage(), e);
    }
}
