package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Fuzzes the layer reader over arbitrary blobs (gzip, zstd and plain tar alike: the magic bytes decide) as
 * {@code ls} uses it, the merged view and the {@code tar tv} lines included. The only failure allowed is a
 * corrupt layer (exit 11); an {@link IOException} from an in-memory blob would be a bug. Every line printed is
 * free of control characters.
 */
class LayerFuzzTest {

    @FuzzTest
    void readsAnyBlobOrCallsItCorrupt(byte[] blob) throws IOException {
        MergedFileSystem merged = new MergedFileSystem();
        TarVerboseLine lines = new TarVerboseLine(true);
        // The same blob as two layers: the second one's whiteouts and replacements act on the first's entries.
        for (int layer = 0; layer < 2; layer++) {
            int index = layer;
            try {
                LayerReader.readWithContents(new ByteArrayInputStream(blob), null, (entry, content) -> {
                    assertThat(content.transferTo(OutputStream.nullOutputStream()))
                            .isLessThanOrEqualTo(Math.max(entry.size(), 0));
                    SafeTextFuzzTest.assertPrintable(lines.format(entry));
                    merged.apply(index, entry);
                    return true;
                });
            } catch (LayerReadException e) {
                // exit 11, the documented failure
            }
        }
        for (MergedEntry entry : merged.entries()) {
            SafeTextFuzzTest.assertPrintable(lines.format(entry.entry()));
            assertThat(merged.get(entry.entry().path())).isPresent();
        }
    }
}
