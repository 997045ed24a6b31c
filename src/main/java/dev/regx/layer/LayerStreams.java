package dev.regx.layer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Turns a layer blob, as it streams from the registry, into the tar bytes inside it.
 *
 * <p>Policy: peek the first bytes; magic bytes win over the media type when they disagree, because media types
 * are sometimes wrong and the bytes never are. When the bytes are neither gzip, zstd nor tar, no decompressor
 * could read them whatever the media type claims, so they pass through untouched as {@link LayerCompression#UNKNOWN}
 * and {@link LayerReader} reports what they look like instead ("not a tar archive (looks like JSON)").
 */
public final class LayerStreams {
    /** Buffer size for each stage: large enough that per-call overhead vanishes next to the decompression work. */
    static final int BUFFER_SIZE = 64 * 1024;
    /** Decompressed bytes in flight between the decompressing thread and the reader: at most 4 x 256 KiB. */
    static final int READ_AHEAD_BUFFER_SIZE = 256 * 1024;

    static final int READ_AHEAD_BUFFERS = 4;

    private LayerStreams() {}

    /**
     * Opens the tar stream inside {@code blob}.
     *
     * @param blob the layer blob, compressed or not; closed when the result is closed
     * @param mediaType the descriptor's media type; may be null or wrong. Kept in the result for messages only:
     *     the magic bytes decide
     * @throws IOException if reading the first bytes fails, or the decompressor rejects the stream header
     */
    public static DecompressedLayer open(InputStream blob, String mediaType) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(blob, BUFFER_SIZE);
        LayerCompression compression = peek(buffered);
        InputStream decompressed = switch (compression) {
            // commons-compress rather than java.util.zip.GZIPInputStream: GZIPInputStream only looks for a next
            // gzip member if available() > 0 at the member boundary, which a slow network stream may not be, and
            // would then end the layer silently. This one reads every member until the real end of the stream.
            case GZIP -> new GzipCompressorInputStream(buffered, true);
            case ZSTD -> ZstdDecoder.open(buffered);
            case NONE, UNKNOWN -> buffered;
        };
        if (decompressed != buffered) {
            // Decompression (with the download and digest check under it) on a second thread, so it overlaps
            // the tar parsing instead of taking turns with it.
            decompressed = new BufferedInputStream(
                    new ReadAheadInputStream(
                            new SkipByReadingInputStream(decompressed, BUFFER_SIZE),
                            READ_AHEAD_BUFFER_SIZE,
                            READ_AHEAD_BUFFERS,
                            BUFFER_SIZE),
                    BUFFER_SIZE);
        }
        return new DecompressedLayer(compression, mediaType, decompressed);
    }

    private static LayerCompression peek(BufferedInputStream in) throws IOException {
        byte[] head = new byte[LayerCompression.DETECTION_BYTES];
        in.mark(head.length);
        int length = in.readNBytes(head, 0, head.length);
        in.reset();
        return LayerCompression.detect(head, length);
    }
}
