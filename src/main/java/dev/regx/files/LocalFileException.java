package dev.regx.files;

import java.io.IOException;

/**
 * Writing or reading a local file failed (disk full, permission denied, not a directory), as opposed to the
 * registry or the layer failing: exit 12. Unchecked, so that it never passes for the blob's own
 * {@link IOException} on the way through the layer reader.
 */
public final class LocalFileException extends RuntimeException {
    public LocalFileException(String message, IOException cause) {
        super(message, cause);
    }

    public LocalFileException(String message) {
        super(message);
    }
}
