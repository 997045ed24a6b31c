package dev.regx.registry.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {
    @ParameterizedTest
    @CsvSource({
        "application/vnd.docker.image.rootfs.diff.tar.gzip, docker/tar+gzip",
        "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip, docker/foreign/tar+gzip",
        "application/vnd.oci.image.layer.v1.tar+gzip, oci/tar+gzip",
        "application/vnd.oci.image.layer.v1.tar+zstd, oci/tar+zstd",
        "application/vnd.oci.image.layer.v1.tar, oci/tar",
        "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip, oci/nondist/tar+gzip",
        "application/x-custom, application/x-custom",
    })
    void shortensLayerMediaTypesForTables(String mediaType, String shortForm) {
        assertThat(MediaTypes.shortForm(mediaType)).isEqualTo(shortForm);
    }
}
