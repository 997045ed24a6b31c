package dev.regx.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A built layer blob and the facts a test asserts against: its digest and size as pushed, the
 * {@code diff_id} (sha256 of the uncompressed tar), and the entries written, in order.
 *
 * <p>Small fixture layers are kept in memory ({@link #bytes()}); a generated big layer lives in a file
 * ({@link #file()}), see {@link BigLayer}.
 */
public record Layer(
        Compression compression,
        String digest,
        long size,
        String diffId,
        long uncompressedSize,
        List<LayerEntry> entries,
        byte[] bytes,
        Path file) {

    public Layer {
        entries = List.copyOf(entries);
        if ((bytes == null) == (file == null)) {
            throw new IllegalArgumentException("a layer is either in memory or in a file");
        }
    }

    public InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /** The entry named {@code name} (as written, no leading {@code ./}), for assertions. */
    public LayerEntry entry(String name) {
        return entries.stream()
                .filter(e -> e.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no entry " + name + " in layer " + digest));
    }

    @Override
    public String toString() {
        return "Layer[" + compression + " " + digest + ", " + size + " bytes, " + entries.size() + " entries]";
    }
}
