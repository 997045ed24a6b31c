package dev.regx.save;

import java.io.IOException;

/**
 * A failure writing the output locally (disk full, permission denied, not a directory, a reader gone), as
 * opposed to reading from the network: what the save sinks throw, which the blob fetcher passes on untouched
 * and never retries.
 */
public final class LocalWriteException extends IOException {
    private static final long serialVersionUID = 1L;

    public LocalWriteException(String message, IOException cause) {
        super(message, cause);
    }
}
