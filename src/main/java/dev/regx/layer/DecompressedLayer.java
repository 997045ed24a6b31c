package dev.regx.layer;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * The tar bytes of a layer, and the compression they were found in. Closing it closes the blob stream.
 *
 * @param compression what the blob was decompressed from (decided by magic bytes, else by media type)
 * @param declaredMediaType the media type the descriptor claimed (may be null or wrong), for messages
 * @param tar the uncompressed tar stream; buffered, supports {@code mark}
 */
public record DecompressedLayer(LayerCompression compression, String declaredMediaType, InputStream tar)
        implements Closeable {
    @Override
    public void close() throws IOException {
        tar.close();
    }
}
