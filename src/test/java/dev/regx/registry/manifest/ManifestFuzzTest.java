package dev.regx.registry.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.regx.registry.Digest;
import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes what regx reads of a registry's JSON: manifests, indexes, configs, and the platform choice between them,
 * through {@link ManifestResolver} as the commands use it. An input is up to three documents separated by NUL
 * bytes (which JSON cannot hold raw): the document the tag names, the one any digest names, the config. Only
 * regx's typed failures may come out: malformed (exit 7), digest mismatch (9), no such platform (10).
 */
class ManifestFuzzTest {
    private static final ImageReference REF = ImageReference.parse("registry.test/fuzz/image:1");
    private static final Set<Kind> DOCUMENTED =
            Set.of(Kind.MALFORMED_RESPONSE, Kind.DIGEST_MISMATCH, Kind.PLATFORM_NOT_FOUND);
    private static final List<Platform> PLATFORMS =
            List.of(Platform.parse("linux/amd64"), Platform.parse("linux/arm64/v8"), Platform.parse("windows/amd64"));

    @FuzzTest
    void resolvesOrFailsAsDocumented(byte[] input) {
        List<byte[]> parts = split(input);
        ManifestResolver resolver = new ManifestResolver(new ManifestResolver.ManifestSource() {
            @Override
            public ManifestDocument manifest(ImageReference ref, String reference) {
                byte[] doc = reference.equals("1") ? parts.get(0) : parts.get(1);
                return ManifestDocument.parse(doc, null, "manifest " + reference);
            }

            @Override
            public byte[] blob(ImageReference ref, Descriptor descriptor) {
                assertThat(Digest.isVerifiable(descriptor.digest())).isTrue();
                return parts.get(2);
            }
        });
        for (Platform platform : PLATFORMS) {
            try {
                ResolvedImage image = resolver.resolve(REF, Optional.of(platform));
                assertThat(image.layers()).hasSameSizeAs(image.manifest().layers());
                for (ImageLayer layer : image.layers()) {
                    assertThat(Digest.isVerifiable(layer.descriptor().digest())).isTrue();
                    assertThat(layer.descriptor().size()).isNotNegative();
                }
            } catch (RegistryException e) {
                assertThat(e.kind()).isIn(DOCUMENTED);
            }
        }
        try {
            ManifestDocument top = ManifestDocument.parse(parts.get(0), null, "manifest");
            for (Descriptor d : top.manifests()) {
                assertThat(Digest.isVerifiable(d.digest())).isTrue();
                PlatformSelector.isAttestation(d);
            }
            PlatformSelector.available(top.manifests());
            ImageConfig config = ImageConfig.parse(parts.get(2), "config");
            assertThat(config.historyByLayer(top.layers().size()))
                    .hasSize(top.layers().size());
        } catch (RegistryException e) {
            assertThat(e.kind()).isEqualTo(Kind.MALFORMED_RESPONSE);
        }
    }

    private static List<byte[]> split(byte[] input) {
        List<byte[]> parts = new ArrayList<>(3);
        int start = 0;
        for (int i = 0; i <= input.length && parts.size() < 2; i++) {
            if (i == input.length || input[i] == 0) {
                parts.add(Arrays.copyOfRange(input, start, i));
                start = Math.min(i + 1, input.length);
            }
        }
        parts.add(Arrays.copyOfRange(input, Math.min(start, input.length), input.length));
        while (parts.size() < 3) {
            parts.add(new byte[0]);
        }
        return parts;
    }
}
