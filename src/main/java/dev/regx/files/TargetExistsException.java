package dev.regx.files;

import java.nio.file.Path;

/** The directory {@code extract} would create is already there, and the user did not say {@code --force}. */
public final class TargetExistsException extends RuntimeException {
    public TargetExistsException(Path target) {
        super(target + " already exists; use --force to replace it, or -C DIR to extract elsewhere");
    }
}
