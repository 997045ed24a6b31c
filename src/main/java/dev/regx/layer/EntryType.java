package dev.regx.layer;

/** What kind of file a tar entry makes. Sparse and contiguous files are {@link #FILE}s. */
public enum EntryType {
    FILE,
    DIRECTORY,
    SYMLINK,
    /** A second name for an earlier entry's file; its {@link LayerEntry#linkTarget()} names that entry. */
    HARDLINK,
    CHAR_DEVICE,
    BLOCK_DEVICE,
    FIFO,
    /** A type flag this reader does not know (e.g. a GNU volume header); listed, never interpreted. */
    OTHER
}
