package dev.regx.registry.transport;

import java.io.IOException;

/**
 * A response that began but whose body could not be read whole within the attempt (reset, cut short, stalled):
 * the failure as it came, marked so that the message after the last attempt can say "reading X failed" rather
 * than "cannot reach X". Retried like the failure it carries.
 */
public final class BodyReadException extends IOException {
    private static final long serialVersionUID = 1L;

    BodyReadException(IOException cause) {
        super(cause.getMessage(), cause);
    }

    /** The failure while reading. */
    public IOException failure() {
        return (IOException) getCause();
    }

    /** {@code e}, or the failure it carries when it is one of these. */
    static IOException unwrap(IOException e) {
        return e instanceof BodyReadException b ? b.failure() : e;
    }
}
