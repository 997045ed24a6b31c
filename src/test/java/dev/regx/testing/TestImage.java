package dev.regx.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixture image, built: its layers, config blob and manifest bytes with their digests. What
 * {@link RegistryPusher#push(String, String, TestImage)} uploads, and what a test compares the product's
 * output with.
 *
 * <pre>{@code
 * TestImage image = TestImage.docker()                       // or TestImage.oci()
 *         .layer(base, "/bin/sh -c #(nop) ADD file:… in / ")
 *         .emptyLayer("/bin/sh -c #(nop)  CMD [\"/bin/sh\"]")
 *         .build();
 * }</pre>
 *
 * History entries are in the order added; {@code created} times are one minute apart from
 * {@link Builder#created(Instant)}, so they are deterministic.
 */
public final class TestImage {
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Docker schema2 or OCI image manifest. */
    public enum Format {
        DOCKER,
        OCI
    }

    /** A layer in this image, with the media type it has in the manifest and its history line. */
    public record ImageLayer(Layer layer, String mediaType, String createdBy) {
        public String digest() {
            return layer.digest();
        }

        public long size() {
            return layer.size();
        }

        public String diffId() {
            return layer.diffId();
        }
    }

    /** One {@code history} entry of the config. */
    public record History(Instant created, String createdBy, boolean emptyLayer) {}

    private final Format format;
    private final Platform platform;
    private final List<ImageLayer> layers;
    private final List<History> history;
    private final byte[] config;
    private final String configDigest;
    private final String configMediaType;
    private final byte[] manifest;
    private final String manifestDigest;
    private final Map<String, String> annotations;

    private TestImage(
            Format format,
            Platform platform,
            List<ImageLayer> layers,
            List<History> history,
            byte[] config,
            String configMediaType,
            byte[] manifest,
            Map<String, String> annotations) {
        this.format = format;
        this.platform = platform;
        this.layers = List.copyOf(layers);
        this.history = List.copyOf(history);
        this.config = config;
        this.configDigest = Digests.sha256(config);
        this.configMediaType = configMediaType;
        this.manifest = manifest;
        this.manifestDigest = Digests.sha256(manifest);
        this.annotations = Map.copyOf(annotations);
    }

    public static Builder docker() {
        return new Builder(Format.DOCKER);
    }

    public static Builder oci() {
        return new Builder(Format.OCI);
    }

    public Format format() {
        return format;
    }

    public Platform platform() {
        return platform;
    }

    public List<ImageLayer> layers() {
        return layers;
    }

    public ImageLayer layer(int index) {
        return layers.get(index);
    }

    public List<History> history() {
        return history;
    }

    public byte[] config() {
        return config.clone();
    }

    public String configDigest() {
        return configDigest;
    }

    public String configMediaType() {
        return configMediaType;
    }

    public byte[] manifest() {
        return manifest.clone();
    }

    public String manifestDigest() {
        return manifestDigest;
    }

    public long manifestSize() {
        return manifest.length;
    }
    /** Annotations this manifest gets on an index entry (attestations carry the reference type). */
    public Map<String, String> indexAnnotations() {
        return annotations;
    }

    public String manifestMediaType() {
        return format == Format.DOCKER ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST;
    }

    /** Sum of the compressed layer sizes, as {@code regx layers} would total them. */
    public long totalLayerSize() {
        return layers.stream().mapToLong(ImageLayer::size).sum();
    }

    public static final class Builder {
        private final Format format;
        private Platform platform = Platform.LINUX_AMD64;
        private Instant created = Instant.parse("2024-03-01T12:00:00Z");
        private final List<Object[]> steps = new ArrayList<>();
        private final Map<String, Object> containerConfig = new LinkedHashMap<>();
        private final Map<String, String> indexAnnotations = new LinkedHashMap<>();

        private Builder(Format format) {
            this.format = format;
            containerConfig.put("Env", List.of("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
            containerConfig.put("Cmd", List.of("/bin/sh"));
        }

        public Builder platform(Platform platform) {
            this.platform = platform;
            return this;
        }

        /** Time of the first history entry; each further one is a minute later. */
        public Builder created(Instant created) {
            this.created = created;
            return this;
        }

        /** A layer and the history line that made it. */
        public Builder layer(Layer layer, String createdBy) {
            steps.add(new Object[] {layer, createdBy, null});
            return this;
        }

        /** A layer with an explicit manifest media type (e.g. a deliberately wrong or foreign one). */
        public Builder layer(Layer layer, String createdBy, String mediaType) {
            steps.add(new Object[] {layer, createdBy, mediaType});
            return this;
        }

        /** A history line that made no layer ({@code ENV}, {@code CMD}, …): {@code empty_layer: true}. */
        public Builder emptyLayer(String createdBy) {
            steps.add(new Object[] {null, createdBy, null});
            return this;
        }

        /** A key of the config's {@code config} object, e.g. {@code "Env"} or {@code "Entrypoint"}. */
        public Builder containerConfig(String key, Object value) {
            containerConfig.put(key, value);
            return this;
        }

        public Builder indexAnnotation(String key, String value) {
            indexAnnotations.put(key, value);
            return this;
        }

        public TestImage build() {
            List<ImageLayer> layers = new ArrayList<>();
            List<History> history = new ArrayList<>();
            Instant t = created;
            for (Object[] step : steps) {
                Layer layer = (Layer) step[0];
                String createdBy = (String) step[1];
                if (layer != null) {
                    String mediaType = step[2] != null ? (String) step[2] : mediaTypeFor(layer.compression());
                    layers.add(new ImageLayer(layer, mediaType, createdBy));
                }
                history.add(new History(t, createdBy, layer == null));
                t = t.plus(Duration.ofMinutes(1));
            }
            Map<String, Object> config = new LinkedHashMap<>(platform.toJson());
            config.put(
                    "created",
                    history.isEmpty()
                            ? created.toString()
                            : history.get(history.size() - 1).created().toString());
            config.put("config", containerConfig);
            Map<String, Object> rootfs = new LinkedHashMap<>();
            rootfs.put("type", "layers");
            rootfs.put("diff_ids", layers.stream().map(ImageLayer::diffId).toList());
            config.put("rootfs", rootfs);
            List<Map<String, Object>> historyJson = new ArrayList<>();
            for (History h : history) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("created", h.created().toString());
                m.put("created_by", h.createdBy());
                if (h.emptyLayer()) {
                    m.put("empty_layer", true);
                }
                historyJson.add(m);
            }
            config.put("history", historyJson);
            byte[] configBytes = json(config);
            String configMediaType = format == Format.DOCKER ? MediaTypes.DOCKER_CONFIG : MediaTypes.OCI_CONFIG;
            byte[] manifest = manifest(configMediaType, configBytes, layers, Map.of());
            return new TestImage(
                    format, platform, layers, history, configBytes, configMediaType, manifest, indexAnnotations);
        }

        private String mediaTypeFor(Compression c) {
            if (format == Format.OCI) {
                return c.ociMediaType();
            }
            if (c != Compression.GZIP) {
                throw new IllegalArgumentException(
                        "Docker schema2 layers are gzip; use layer(l, createdBy, mediaType)");
            }
            return MediaTypes.DOCKER_LAYER_GZIP;
        }

        private byte[] manifest(
                String configMediaType, byte[] configBytes, List<ImageLayer> layers, Map<String, String> annotations) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("schemaVersion", 2);
            m.put("mediaType", format == Format.DOCKER ? MediaTypes.DOCKER_MANIFEST : MediaTypes.OCI_MANIFEST);
            m.put("config", descriptor(configMediaType, Digests.sha256(configBytes), configBytes.length, null));
            List<Object> ls = new ArrayList<>();
            for (ImageLayer l : layers) {
                ls.add(descriptor(l.mediaType(), l.digest(), l.size(), null));
            }
            m.put("layers", ls);
            if (!annotations.isEmpty()) {
                m.put("annotations", annotations);
            }
            return json(m);
        }
    }

    /**
     * A BuildKit-style attestation manifest for {@code subject}: an OCI manifest whose one layer is an in-toto
     * statement, listed in an index with platform {@code unknown/unknown} and the annotations
     * {@code vnd.docker.reference.type: attestation-manifest} and {@code vnd.docker.reference.digest}.
     */
    public static TestImage attestationFor(TestImage subject) {
        byte[] statement = json(Map.of(
                "_type",
                "https://in-toto.io/Statement/v0.1",
                "predicateType",
                "https://spdx.dev/Document",
                "subject",
                List.of(Map.of(
                        "name",
                        "pkg:docker/fixture",
                        "digest",
                        Map.of("sha256", Digests.hex(subject.manifestDigest())))),
                "predicate",
                Map.of("spdxVersion", "SPDX-2.3", "name", "fixture-sbom")));
        Layer layer = new Layer(
                Compression.NONE,
                Digests.sha256(statement),
                statement.length,
                Digests.sha256(statement),
                statement.length,
                List.of(),
                statement,
                null);
        Map<String, Object> config = new LinkedHashMap<>(Platform.UNKNOWN.toJson());
        config.put("config", Map.of());
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(layer.diffId())));
        byte[] configBytes = json(config);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schemaVersion", 2);
        m.put("mediaType", MediaTypes.OCI_MANIFEST);
        m.put("config", descriptor(MediaTypes.OCI_CONFIG, Digests.sha256(configBytes), configBytes.length, null));
        m.put(
                "layers",
                List.of(descriptor(
                        MediaTypes.IN_TOTO,
                        layer.digest(),
                        layer.size(),
                        Map.of("in-toto.io/predicate-type", "https://spdx.dev/Document"))));
        byte[] manifest = json(m);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("vnd.docker.reference.digest", subject.manifestDigest());
        annotations.put("vnd.docker.reference.type", "attestation-manifest");
        return new TestImage(
                Format.OCI,
                Platform.UNKNOWN,
                List.of(new ImageLayer(layer, MediaTypes.IN_TOTO, null)),
                List.of(),
                configBytes,
                MediaTypes.OCI_CONFIG,
                manifest,
                annotations);
    }

    static Map<String, Object> descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        if (annotations != null && !annotations.isEmpty()) {
            d.put("annotations", annotations);
        }
        return d;
    }

    static byte[] json(Object value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "TestImage[" + format + " " + platform + " " + manifestDigest + ", " + layers.size() + " layers]";
    }
}
