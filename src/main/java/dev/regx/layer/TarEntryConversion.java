package dev.regx.layer;

import java.io.IOException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Maps commons-compress's tar entry onto {@link LayerEntry}, the reader's only output type. */
final class TarEntryConversion {
    private TarEntryConversion() {}

    static LayerEntry toLayerEntry(TarArchiveEntry entry, RawHeaderTarInputStream tar) throws IOException {
        EntryType type = typeOf(entry);
        boolean device = type == EntryType.CHAR_DEVICE || type == EntryType.BLOCK_DEVICE;
        boolean link = type == EntryType.SYMLINK || type == EntryType.HARDLINK;
        return new LayerEntry(
                tar.name(entry),
                type,
                entry.getMode(),
                entry.getLongUserId(),
                entry.getLongGroupId(),
                tar.userName(entry),
                tar.groupName(entry),
                // Sparse files store only their data regions; the listing wants the size the file will have.
                type == EntryType.FILE ? entry.getRealSize() : 0,
                entry.getLastModifiedTime().toInstant(),
                link ? tar.linkName(entry) : "",
                device ? entry.getDevMajor() : 0,
                device ? entry.getDevMinor() : 0);
    }

    static EntryType typeOf(TarArchiveEntry entry) {
        // Order matters: commons-compress calls a hard link to a name ending in "/" a directory, and a v7 tar has
        // no directory type flag at all, only the trailing slash, so the explicit link flags are checked first.
        if (entry.isSymbolicLink()) {
            return EntryType.SYMLINK;
        }
        if (entry.isLink()) {
            return EntryType.HARDLINK;
        }
        if (entry.isDirectory()) {
            return EntryType.DIRECTORY;
        }
        if (entry.isCharacterDevice()) {
            return EntryType.CHAR_DEVICE;
        }
        if (entry.isBlockDevice()) {
            return EntryType.BLOCK_DEVICE;
        }
        if (entry.isFIFO()) {
            return EntryType.FIFO;
        }
        byte flag = entry.getLinkFlag();
        if (flag == TarConstants.LF_NORMAL
                || flag == TarConstants.LF_OLDNORM
                || flag == TarConstants.LF_CONTIG
                || flag == TarConstants.LF_GNUTYPE_SPARSE) {
            return EntryType.FILE;
        }
        return EntryType.OTHER;
    }
}
