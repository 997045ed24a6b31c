package dev.regx.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixture multi-platform image: a Docker manifest list or an OCI index over {@link TestImage}s, each entry
 * with its {@code platform}. Attestation manifests ({@link TestImage#attestationFor}) are entries too, with
 * platform {@code unknown/unknown}, as BuildKit pushes them.
 */
public final class TestIndex {
    /** Docker manifest list or OCI image index. */
    public enum Format {
        DOCKER_MANIFEST_LIST,
        OCI_INDEX
    }

    /** One entry: the manifest it points at and the platform it claims. */
    public record Entry(TestImage image, Platform platform) {
        public boolean isAttestation() {
            return "attestation-manifest".equals(image.indexAnnotations().get("vnd.docker.reference.type"));
        }
    }

    private final Format format;
    private final List<Entry> entries;
    private final byte[] manifest;
    private final String digest;

    private TestIndex(Format format, List<Entry> entries, byte[] manifest) {
        this.format = format;
        this.entries = List.copyOf(entries);
        this.manifest = manifest;
        this.digest = Digests.sha256(manifest);
    }

    public static Builder ociIndex() {
        return new Builder(Format.OCI_INDEX);
    }

    public static Builder dockerManifestList() {
        return new Builder(Format.DOCKER_MANIFEST_LIST);
    }

    public Format format() {
        return format;
    }

    public List<Entry> entries() {
        return entries;
    }

    public byte[] manifest() {
        return manifest.clone();
    }

    public String digest() {
        return digest;
    }

    public String mediaType() {
        return format == Format.OCI_INDEX ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_MANIFEST_LIST;
    }

    /** The image for {@code platform}, never an attestation. */
    public TestImage image(Platform platform) {
        return entries.stream()
                .filter(e -> !e.isAttestation() && e.platform().equals(platform))
                .map(Entry::image)
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no image for " + platform));
    }

    public static final class Builder {
        private final Format format;
        private final List<Entry> entries = new ArrayList<>();

        private Builder(Format format) {
            this.format = format;
        }

        /** An image entry; its platform is the image's own. */
        public Builder image(TestImage image) {
            entries.add(new Entry(image, image.platform()));
            return this;
        }

        /** An attestation manifest for {@code subject} (which should be an entry too). */
        public Builder attestationFor(TestImage subject) {
            entries.add(new Entry(TestImage.attestationFor(subject), Platform.UNKNOWN));
            return this;
        }

        public TestIndex build() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schemaVersion", 2);
            m.put("mediaType", format == Format.OCI_INDEX ? MediaTypes.OCI_INDEX : MediaTypes.DOCKER_MANIFEST_LIST);
            List<Object> manifests = new ArrayList<>();
            for (Entry e : entries) {
                Map<String, Object> d = TestImage.descriptor(
                        e.image().manifestMediaType(),
                        e.image().manifestDigest(),
                        e.image().manifestSize(),
                        e.image().indexAnnotations());
                d.put("platform", e.platform().toJson());
                manifests.add(d);
            }
            m.put("manifests", manifests);
            return new TestIndex(format, entries, TestImage.json(m));
        }
    }
}
