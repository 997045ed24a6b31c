package dev.regx.layer;

/**
 * The OCI image spec's deletion markers. A layer cannot hold "absence", so it deletes a lower layer's file with an
 * empty file named {@code .wh.NAME} beside it, and hides a whole lower directory's contents with
 * {@code .wh..wh..opq} inside it. Neither marker is a file of the image.
 */
public enum Whiteout {
    NONE,
    /** {@code DIR/.wh.NAME}: {@code DIR/NAME} and everything under it are deleted from lower layers. */
    DELETION,
    /** {@code DIR/.wh..wh..opq}: every lower-layer entry under {@code DIR} is hidden; {@code DIR} itself stays. */
    OPAQUE;

    static final String PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";
    /** aufs kept its own bookkeeping under {@code .wh..wh.}-prefixed names (e.g. {@code .wh..wh.plnk}). */
    static final String AUFS_META_PREFIX = ".wh..wh.";

    /** The marker kind a normalised path's last component makes it. */
    static Whiteout of(String path) {
        String name = LayerPath.name(path);
        if (name.equals(OPAQUE_MARKER)) {
            return OPAQUE;
        }
        if (name.startsWith(PREFIX) && !name.startsWith(AUFS_META_PREFIX) && name.length() > PREFIX.length()) {
            return DELETION;
        }
        return NONE;
    }
}
