package dev.regx.layer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

/**
 * Reads the entries of a layer blob as it streams, handing each to a callback and keeping none: memory stays
 * constant whatever the layer's size. Entry contents are skipped, never buffered.
 *
 * <p>Failures: if the blob stream itself fails (network), that {@link IOException} is thrown as is; if the bytes
 * are bad (truncated or corrupt compression, a broken tar header) a {@link LayerReadException} says so after the
 * entries before the damage have been delivered; if they are not a tar at all, a {@link LayerReadException} says
 * what they look like. Exceptions thrown by the callback propagate unchanged.
 */
public final class LayerReader {
    private LayerReader() {}

    /**
     * Reads every entry of {@code blob}, calling {@code action} for each in archive order, then closes {@code blob}.
     *
     * @param blob the layer blob as served, compressed or not
     * @param mediaType the descriptor's media type (may be null or wrong; the magic bytes decide)
     * @return the number of entries delivered
     * @throws IOException if reading {@code blob} fails
     * @throws LayerReadException if the blob is corrupt, truncated or not a tar
     */
    public static long read(InputStream blob, String mediaType, Consumer<? super LayerEntry> action)
            throws IOException {
        return readWithContents(blob, mediaType, (entry, content) -> {
            action.accept(entry);
            return true;
        });
    }

    /**
     * What {@link #readWithContents} hands each entry: its metadata and its bytes, which are only readable
     * during the call (a regular file's contents, sparse holes filled; nothing for other entries).
     */
    @FunctionalInterface
    public interface EntryVisitor {
        /**
         * @return true to go on to the next entry, false to stop reading the layer here
         * @throws IOException only as {@code content}'s reads throw it (the blob failed, or a
         *     {@link LayerReadException} for corrupt bytes): the visitor's own I/O failures must travel as
         *     unchecked exceptions, so that they are never taken for the blob's
         */
        boolean visit(LayerEntry entry, InputStream content) throws IOException;
    }

    /**
     * As {@link #read(InputStream, String, Consumer)}, handing each entry's contents to {@code visitor} too; the
     * contents the visitor leaves unread are skipped. Stops early, without reading the rest of {@code blob},
     * when the visitor says so.
     *
     * @return the number of entries delivered
     */
    public static long readWithContents(InputStream blob, String mediaType, EntryVisitor visitor) throws IOException {
        long delivered = 0;
        DecompressedLayer layer = null;
        try {
            layer = open(blob, mediaType);
            RawHeaderTarInputStream tar = new RawHeaderTarInputStream(layer.tar());
            EntryContent content = new EntryContent(tar);
            while (true) {
                LayerEntry entry;
                try {
                    TarArchiveEntry next = tar.next();
                    if (next == null) {
                        return delivered;
                    }
                    entry = TarEntryConversion.toLayerEntry(next, tar);
                } catch (IOException | RuntimeException e) {
                    throw failure(e, delivered);
                }
                content.delivered = delivered;
                content.isFile = entry.type() == EntryType.FILE;
                boolean more = visitor.visit(entry, content);
                delivered++;
                if (!more) {
                    return delivered;
                }
            }
        } finally {
            if (layer != null) {
                layer.close();
            } else {
                blob.close();
            }
        }
    }

    /**
     * The current entry's bytes: reads report a damaged layer as {@link LayerReadException} and a failed blob
     * as its own {@link IOException}, as header reads do. Closing it does nothing (the tar goes on).
     */
    private static final class EntryContent extends InputStream {
        private final RawHeaderTarInputStream tar;
        private long delivered;
        /**
         * Whether the entry is a regular file: any other may still carry data in the tar (an unknown type flag
         * with a size), which is no file's contents and is skipped, as the entry's size of 0 says.
         */
        private boolean isFile;

        EntryContent(RawHeaderTarInputStream tar) {
            this.tar = tar;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!isFile) {
                return -1;
            }
            try {
                return tar.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw failure(e, delivered);
            }
        }

        @Override
        public void close() {
            // The archive's own stream: the next entry follows.
        }
    }

    private static DecompressedLayer open(InputStream blob, String mediaType) throws IOException {
        DecompressedLayer layer;
        try {
            layer = LayerStreams.open(new SourceFailureTagging(blob), mediaType);
        } catch (IOException | RuntimeException e) {
            throw failure(e, 0);
        }
        try {
            requireTar(layer);
            return layer;
        } catch (IOException | RuntimeException e) {
            layer.close();
            throw e instanceof LayerReadException lre ? lre : failure(e, 0);
        }
    }

    /** Fails with "not a tar archive (looks like …)" unless the decompressed stream starts like a tar. */
    private static void requireTar(DecompressedLayer layer) throws IOException {
        InputStream tar = layer.tar();
        byte[] head = new byte[LayerCompression.DETECTION_BYTES];
        tar.mark(head.length);
        int length = tar.readNBytes(head, 0, head.length);
        tar.reset();
        if (length == 0 || LayerCompression.looksLikeTar(head, length)) {
            return; // an empty blob lists as an empty layer, as GNU tar lists an empty file
        }
        String looksLike = ContentGuess.describe(head, length);
        if (layer.compression() != LayerCompression.UNKNOWN) {
            looksLike = layer.compression().name().toLowerCase(Locale.ROOT) + "-compressed " + looksLike;
        }
        throw LayerReadException.notATar(looksLike, layer.declaredMediaType());
    }

    /** Throws the blob's own I/O failure if {@code e} carries one; otherwise returns the corruption report. */
    private static LayerReadException failure(Exception e, long delivered) throws IOException {
        IOException sourceFailure = SourceFailureTagging.sourceFailureIn(e);
        if (sourceFailure != null) {
            throw sourceFailure;
        }
        if (e instanceof OversizedTarRecordException oversized) {
            return LayerReadException.refused(delivered, oversized);
        }
        return LayerReadException.corrupt(delivered, e);
    }
}
