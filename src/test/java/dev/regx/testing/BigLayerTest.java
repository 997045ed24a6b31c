package dev.regx.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BigLayerTest {
    @Test
    void generatesAboutTheAskedCompressedSizeWithManyEntriesAndCorrectDigests(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("big.tar.gz");
        BigLayer.Result big = BigLayer.generate(file, 2);
        Layer layer = big.layer();
        assertThat(layer.size()).isEqualTo(Files.size(file)).isBetween(2L << 20, (2L << 20) + (256 << 10));
        assertThat(layer.digest()).isEqualTo(Digests.sha256(file));
        assertThat(layer.uncompressedSize())
                .as("compressible, but not to nothing")
                .isBetween(layer.size() * 3 / 2, layer.size() * 3);
        assertThat(big.entryCount()).isGreaterThan(800);

        MessageDigest tarDigest = Digests.newSha256();
        int entries = 0;
        try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(file)), tarDigest);
                TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            while (tar.getNextEntry() != null) {
                entries++;
            }
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(entries).isEqualTo(big.entryCount());
        assertThat("sha256:" + HexFormat.of().formatHex(tarDigest.digest())).isEqualTo(layer.diffId());
    }
}
