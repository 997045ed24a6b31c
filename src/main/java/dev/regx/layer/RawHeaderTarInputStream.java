package dev.regx.layer;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.apache.commons.compress.archivers.tar.TarUtils;
import org.apache.commons.compress.archivers.zip.ZipEncoding;
import org.apache.commons.compress.archivers.zip.ZipEncodingHelper;

/**
 * commons-compress's tar reader, taught two things it does not do by itself.
 *
 * <p>Byte-exact names. commons-compress decodes names with one charset; any charset but Latin-1 loses the bytes
 * of a name that is not valid in it. So names are decoded as Latin-1 (one char per byte, lossless) and then
 * re-decoded with {@link EscapedUtf8}. But PAX records are UTF-8 by definition and commons-compress has already
 * decoded those, so re-decoding must apply only to names that came from the header block or a GNU long-name
 * record. The raw header blocks of each entry are captured to tell which.
 *
 * <p>Truncation. commons-compress treats a short header block as the end of the archive; this class makes it an
 * error, so a layer cut mid-header is reported rather than listed as complete. A stream ending exactly on a
 * block boundary without the end-of-archive blocks is still accepted, as GNU tar and Go's archive/tar do.
 *
 * <p>Bounded meta records. commons-compress reads a PAX or GNU long-name record whole into memory, as large as its
 * header says: a 300 KB gzip layer of zeros can claim a 300 MB name. A meta record over {@link
 * #MAX_META_RECORD_BYTES} is refused from its header, before any of it is read, as Go's archive/tar refuses one
 * over its 1 MiB {@code maxSpecialFileSize}. No real path or PAX header set comes near it.
 */
final class RawHeaderTarInputStream extends TarArchiveInputStream {
    private static final ZipEncoding LATIN_1 = ZipEncodingHelper.getZipEncoding(StandardCharsets.ISO_8859_1);
    private static final int BLOCK = TarConstants.DEFAULT_RCDSIZE;
    static final long MAX_META_RECORD_BYTES = 1 << 20;
    private static final int SIZE_OFFSET =
            TarConstants.NAMELEN + TarConstants.MODELEN + TarConstants.UIDLEN + TarConstants.GIDLEN;

    private final InputStream source;
    private final byte[] block = new byte[BLOCK];
    /** Every header block read while finding the current entry: meta headers (PAX, GNU long names), then its own. */
    private final List<byte[]> blocksOfEntry = new ArrayList<>();
    /** The current entry as its own header block alone says, parsed once: see {@link #headerOnly()}. */
    private TarArchiveEntry headerOnly;
    /** For draining entry bodies: see {@link #next()}. */
    private final byte[] scratch = new byte[LayerStreams.BUFFER_SIZE];

    RawHeaderTarInputStream(InputStream source) {
        super(source, StandardCharsets.ISO_8859_1.name());
        this.source = source;
    }

    /** The next entry, or null at the end of the archive. */
    TarArchiveEntry next() throws IOException {
        // Read what is left of the current entry's body in large chunks first. commons-compress would skip it
        // through the same read(), but 8 KiB at a time: with most of a layer being file contents, those
        // extra calls and copies are a measurable part of listing it.
        if (getCurrentEntry() != null) {
            while (read(scratch, 0, scratch.length) >= 0) {
                // discard
            }
        }
        blocksOfEntry.clear();
        headerOnly = null;
        return getNextTarEntry();
    }

    @Override
    protected byte[] readRecord() throws IOException {
        int read = source.readNBytes(block, 0, BLOCK);
        count(read);
        if (read == 0) {
            return null;
        }
        if (read < BLOCK) {
            if (isAtEOF()) {
                return null; // junk after the first end-of-archive block: the archive is already complete
            }
            throw new EOFException("tar stream ends inside a header block");
        }
        if (isMetaHeader(block[TarConstants.LF_OFFSET])) {
            requireBoundedMetaRecord(block);
        }
        blocksOfEntry.add(block.clone());
        return block;
    }

    private static void requireBoundedMetaRecord(byte[] header) throws OversizedTarRecordException {
        long size = TarUtils.parseOctalOrBinary(header, SIZE_OFFSET, TarConstants.SIZELEN);
        if (size > MAX_META_RECORD_BYTES) {
            String kind = switch (header[TarConstants.LF_OFFSET]) {
                case TarConstants.LF_GNUTYPE_LONGNAME -> "GNU long-name";
                case TarConstants.LF_GNUTYPE_LONGLINK -> "GNU long-link";
                default -> "PAX header";
            };
            throw new OversizedTarRecordException("a " + kind + " record claims " + size + " bytes, over the "
                    + (MAX_META_RECORD_BYTES >> 20) + " MiB a tar reader accepts (a hostile or broken layer)");
        }
    }

    /** The current entry's path as {@link EscapedUtf8} text. */
    String name(TarArchiveEntry entry) throws IOException {
        return recover(entry.getName(), headerOnly().getName(), sawMetaHeader(TarConstants.LF_GNUTYPE_LONGNAME));
    }

    /** The current entry's link target as {@link EscapedUtf8} text. */
    String linkName(TarArchiveEntry entry) throws IOException {
        return recover(
                entry.getLinkName(), headerOnly().getLinkName(), sawMetaHeader(TarConstants.LF_GNUTYPE_LONGLINK));
    }

    String userName(TarArchiveEntry entry) throws IOException {
        return recover(entry.getUserName(), headerOnly().getUserName(), false);
    }

    String groupName(TarArchiveEntry entry) throws IOException {
        return recover(entry.getGroupName(), headerOnly().getGroupName(), false);
    }

    /**
     * {@code parsed} came either from Latin-1 bytes (header block, GNU long record) or from a PAX record (already
     * Unicode). A char above U+00FF can only come from PAX; otherwise, if it equals what the header block alone
     * says or a GNU long record supplied it, it is Latin-1-decoded bytes to re-decode.
     */
    private static String recover(String parsed, String fromHeaderBlock, boolean fromGnuLongRecord) {
        if (parsed == null || parsed.isEmpty()) {
            return "";
        }
        for (int i = 0; i < parsed.length(); i++) {
            if (parsed.charAt(i) > 0xff) {
                return parsed;
            }
        }
        if (fromGnuLongRecord || parsed.equals(fromHeaderBlock)) {
            return EscapedUtf8.decode(parsed.getBytes(StandardCharsets.ISO_8859_1));
        }
        return parsed;
    }

    private TarArchiveEntry headerOnly() throws IOException {
        if (headerOnly != null) {
            return headerOnly;
        }
        for (byte[] header : blocksOfEntry) {
            if (!isMetaHeader(header[TarConstants.LF_OFFSET])) {
                headerOnly = new TarArchiveEntry(header, LATIN_1);
                return headerOnly;
            }
        }
        throw new IllegalStateException("no header block captured for the current entry");
    }

    private boolean sawMetaHeader(byte typeFlag) {
        for (byte[] header : blocksOfEntry) {
            if (header[TarConstants.LF_OFFSET] == typeFlag) {
                return true;
            }
        }
        return false;
    }

    private static boolean isMetaHeader(byte typeFlag) {
        return typeFlag == TarConstants.LF_GNUTYPE_LONGNAME
                || typeFlag == TarConstants.LF_GNUTYPE_LONGLINK
                || typeFlag == TarConstants.LF_PAX_EXTENDED_HEADER_LC
                || typeFlag == TarConstants.LF_PAX_EXTENDED_HEADER_UC
                || typeFlag == TarConstants.LF_PAX_GLOBAL_EXTENDED_HEADER;
    }
}
