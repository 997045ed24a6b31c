package dev.regx.save;

import java.nio.file.Path;

/** The output file is already there with other content, and the user did not say {@code --force}. */
public final class TargetExistsException extends RuntimeException {
    public TargetExistsException(Path target) {
        super(target + " already exists with other content; use --force to replace it");
    }
}
