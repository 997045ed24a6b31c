package dev.regx.registry.manifest;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ManifestResolverTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    /** A registry holding one index, whatever is asked for. */
    private static ManifestResolver.ManifestSource holding(String index) {
        return new ManifestResolver.ManifestSource() {
            @Override
            public ManifestDocument manifest(ImageReference ref, String reference) {
                return ManifestDocument.parse(index.getBytes(StandardCharsets.UTF_8), MediaTypes.OCI_INDEX, "index");
            }

            @Override
            public byte[] blob(ImageReference ref, Descriptor descriptor) {
                throw new AssertionError("no blob is read before a platform is chosen");
            }
        };
    }

    private static String entry(String platform, String annotations) {
        return "{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + DIGEST + "\",\"size\":100,"
                + platform + annotations + "}";
    }

    @Test
    void aPlatformMissingFromAnIndexIsNamedWithThoseItHas() {
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + entry("\"platform\":{\"os\":\"linux\",\"architecture\":\"s390x\"}", "") + "]}";

        assertThatThrownBy(() -> new ManifestResolver(holding(index))
                        .resolve(
                                ImageReference.parse("example.com/a/b:1"),
                                Optional.of(Platform.parse("linux/riscv64"))))
                .isInstanceOf(RegistryException.class)
                .hasMessage(
                        "example.com/a/b:1 has no image for linux/riscv64; available: linux/s390x (choose with --platform)");
    }

    @Test
    void anIndexOfAttestationsOnlySaysSoInsteadOfAnEmptyList() {
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":["
                + entry(
                        "\"platform\":{\"os\":\"unknown\",\"architecture\":\"unknown\"}",
                        ",\"annotations\":{\"vnd.docker.reference.type\":\"attestation-manifest\"}")
                + "]}";

        assertThatThrownBy(() -> new ManifestResolver(holding(index))
                        .resolve(ImageReference.parse("example.com/a/b:1"), Optional.of(Platform.parse("linux/amd64"))))
                .isInstanceOf(RegistryException.class)
                .hasMessage("example.com/a/b:1 has no image for linux/amd64; its index lists no image of any platform, "
                        + "only attestations or entries without one");
    }
}
