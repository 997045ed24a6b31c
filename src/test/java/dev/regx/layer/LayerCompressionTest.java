package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerCompressionTest {

    @ParameterizedTest
    @CsvSource({
        "application/vnd.docker.image.rootfs.diff.tar.gzip, GZIP",
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip, GZIP",
        "application/vnd.oci.image.layer.v1.tar+gzip, GZIP",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip, GZIP",
        "application/vnd.oci.image.layer.v1.tar+zstd, ZSTD",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd, ZSTD",
        "application/vnd.oci.image.layer.v1.tar, NONE",
        "application/vnd.docker.image.rootfs.diff.tar, NONE",
        "APPLICATION/VND.OCI.IMAGE.LAYER.V1.TAR+GZIP; charset=x, GZIP",
        "application/vnd.oci.image.config.v1+json, UNKNOWN",
        "'', UNKNOWN",
    })
    void mediaTypesNameTheirCompression(String mediaType, LayerCompression expected) {
        assertThat(LayerCompression.fromMediaType(mediaType)).isEqualTo(expected);
    }

    @Test
    void nullMediaTypeIsUnknown() {
        assertThat(LayerCompression.fromMediaType(null)).isEqualTo(LayerCompression.UNKNOWN);
    }

    @Test
    void magicBytesIdentifyGzipZstdAndTar() {
        byte[] tar = new TarBuilder().file("a", "x").tar();
        assertThat(LayerCompression.detect(TarBuilder.gzip(tar))).isEqualTo(LayerCompression.GZIP);
        assertThat(LayerCompression.detect(TarBuilder.zstd(tar))).isEqualTo(LayerCompression.ZSTD);
        assertThat(LayerCompression.detect(tar)).isEqualTo(LayerCompression.NONE);
        assertThat(LayerCompression.detect(new byte[1024])).as("empty archive").isEqualTo(LayerCompression.NONE);
        assertThat(LayerCompression.detect("{\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(LayerCompression.UNKNOWN);
        assertThat(LayerCompression.detect(new byte[0])).isEqualTo(LayerCompression.UNKNOWN);
    }

    @Test
    void v7TarWithoutUstarMagicIsRecognisedByItsChecksum() {
        byte[] tar = new TarBuilder().file("a", "x").tar();
        byte[] header = Arrays.copyOf(tar, 512);
        // Turn it into a v7 header: no magic, no version, checksum recomputed.
        Arrays.fill(header, 257, 265, (byte) 0);
        Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, header, 148, 8);
        assertThat(LayerCompression.detect(header)).isEqualTo(LayerCompression.NONE);
        header[0] ^= 1; // any change breaks the checksum
        assertThat(LayerCompression.detect(header)).isEqualTo(LayerCompression.UNKNOWN);
    }

    @Test
    void fileExtensionsForSavedBlobs() {
        assertThat(LayerCompression.GZIP.fileExtension()).isEqualTo(".tar.gzip");
        assertThat(LayerCompression.ZSTD.fileExtension()).isEqualTo(".tar.zst");
        assertThat(LayerCompression.NONE.fileExtension()).isEqualTo(".tar");
        assertThat(LayerCompression.UNKNOWN.fileExtension()).isEqualTo(".bin");
    }
}
