package dev.regx.layer;

/**
 * A layer could not be read to its end: the stream is truncated or corrupt, or is not a tar at all.
 *
 * <p>Unchecked, because it surfaces from inside a per-entry callback loop whose callers (a listing, a merge) can
 * do nothing but report it; {@link #entriesDelivered()} says how far the reading got, and those entries were
 * already handed to the callback. The message is one line, fit to print after "regx: ".
 */
public final class LayerReadException extends RuntimeException {
    private final long entriesDelivered;

    public LayerReadException(String message, long entriesDelivered, Throwable cause) {
        super(message, cause);
        this.entriesDelivered = entriesDelivered;
    }

    static LayerReadException corrupt(long entriesDelivered, Throwable cause) {
        String reason = cause.getMessage() == null || cause.getMessage().isBlank()
                ? cause.getClass().getSimpleName()
                : cause.getMessage().lines().findFirst().orElse("").strip();
        return new LayerReadException(
                "layer stream is corrupt or truncated after " + entriesDelivered
                        + (entriesDelivered == 1 ? " entry: " : " entries: ") + reason,
                entriesDelivered,
                cause);
    }

    /** The layer asks for more memory than any real one needs: refused, not read. */
    static LayerReadException refused(long entriesDelivered, OversizedTarRecordException cause) {
        return new LayerReadException(
                "layer refused after " + entriesDelivered + (entriesDelivered == 1 ? " entry: " : " entries: ")
                        + cause.getMessage(),
                entriesDelivered,
                cause);
    }

    static LayerReadException notATar(String looksLike, String declaredMediaType) {
        String declared = declaredMediaType == null || declaredMediaType.isBlank()
                ? ""
                : "; its media type says " + declaredMediaType;
        return new LayerReadException("not a tar archive (looks like " + looksLike + declared + ")", 0, null);
    }

    /** Entries handed to the callback before the failure. */
    public long entriesDelivered() {
        return entriesDelivered;
    }
}
