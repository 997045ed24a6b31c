package dev.regx.save;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.registry.ImageReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerFileNameTest {
    private static final String GZIP = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    private static final String DIGEST = "sha256:0b342bf7e74f3b5e1e6e0c1c1b0d6f1a2e3c4d5e6f708192a3b4c5d6e7f80910";

    @ParameterizedTest(name = "{0} layer {1} ({2}) -> {3}")
    @CsvSource({
        "smoshysmosh/composer:latest, 0, application/vnd.docker.image.rootfs.diff.tar.gzip, smoshysmosh-composer-latest-0.tar.gzip",
        "alpine:3.19,                  0, application/vnd.oci.image.layer.v1.tar+gzip,       library-alpine-3.19-0.tar.gzip",
        "ghcr.io/org/team/img:1,       2, application/vnd.oci.image.layer.v1.tar+gzip,       org-team-img-1-2.tar.gzip",
        "localhost:5000/foo,           1, application/vnd.oci.image.layer.v1.tar+zstd,       foo-latest-1.tar.zst",
        "localhost:5000/foo:v1,        3, application/vnd.oci.image.layer.v1.tar,            foo-v1-3.tar",
        "localhost:5000/foo:v1,        4, application/vnd.in-toto+json,                      foo-v1-4.bin",
    })
    void namesTheFileAfterRepositoryTagIndexAndMediaType(String ref, int index, String mediaType, String name) {
        assertThat(LayerFileName.of(ImageReference.parse(ref), index, mediaType))
                .isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource({
        "foo/bar@" + DIGEST + ", foo-bar-sha256-0b342bf7e74f-0.tar.gzip",
        "foo/bar:t@" + DIGEST + ", foo-bar-t-0.tar.gzip"
    })
    void digestReferenceUsesTheDigestsFirstTwelveHexDigitsUnlessATagIsGiven(String ref, String name) {
        assertThat(LayerFileName.of(ImageReference.parse(ref), 0, "application/vnd.docker.image.rootfs.diff.tar.gzip"))
                .isEqualTo(name);
    }

    @Test
    void aNameTooLongForTheFileSystemIsShortenedAndStaysUnique() {
        String repository = "a".repeat(100) + "/" + "b".repeat(139); // 240 characters, valid
        ImageReference oneTag = ImageReference.parse("localhost:5000/" + repository + ":" + "t".repeat(127) + "1");
        ImageReference otherTag = ImageReference.parse("localhost:5000/" + repository + ":" + "t".repeat(127) + "2");

        String name = LayerFileName.of(oneTag, 7, GZIP);

        assertThat(name.length() + ".part".length()).isLessThanOrEqualTo(LayerFileName.NAME_MAX);
        assertThat(name).startsWith("a".repeat(100) + "-bbb").matches(".*-[0-9a-f]{12}-7\\.tar\\.gzip");
        assertThat(LayerFileName.of(oneTag, 7, GZIP))
                .as("the same on every run")
                .isEqualTo(name);
        assertThat(LayerFileName.of(otherTag, 7, GZIP)).isNotEqualTo(name);
        assertThat(LayerFileName.of(oneTag, 8, GZIP)).isNotEqualTo(name).endsWith("-8.tar.gzip");
    }

    @Test
    void aNameThatFitsIsNeverShortened() {
        String tag = "t".repeat(128);
        String fits = "r".repeat(250 - ("-" + tag + "-0.tar.gzip").length() - 1);
        String name = LayerFileName.of(ImageReference.parse("localhost:5000/" + fits + ":" + tag), 0, GZIP);

        assertThat(name).isEqualTo(fits + "-" + tag + "-0.tar.gzip").hasSize(249);
    }

    @Test
    void extractsDirectoryNamesAreShortenedTheSameWay() {
        ImageReference ref = ImageReference.parse("localhost:5000/" + "r".repeat(200) + ":" + "t".repeat(128));

        assertThat(LayerFileName.image(ref, "-3")).hasSizeLessThanOrEqualTo(250).endsWith("-3");
        assertThat(LayerFileName.image(ImageReference.parse("alpine"), "")).isEqualTo("library-alpine-latest");
    }
}
