package dev.regx.files;

/**
 * A PATH that does not name what the command needs: nothing there (exit 3), or not a regular file (a
 * directory, a device, a link not followed: exit 2, a usage error, since the command cannot take it).
 */
public final class ImagePathException extends RuntimeException {
    /** The two classes of failure. */
    public enum Kind {
        NOT_FOUND,
        NOT_A_FILE
    }

    private final Kind kind;
    private final String path;
    private final String existingParent;

    /**
     * @param path the normalised path that is missing, for the caller to suggest a listing; null when the
     *     message says it all
     * @param existingParent the deepest directory on the way that does exist ("" the root)
     */
    public ImagePathException(Kind kind, String message, String path, String existingParent) {
        super(message);
        this.kind = kind;
        this.path = path;
        this.existingParent = existingParent;
    }

    public Kind kind() {
        return kind;
    }

    /** The missing path, when the failure is a plain "no such file" the caller words itself; else null. */
    public String path() {
        return path;
    }

    public String existingParent() {
        return existingParent;
    }
}
