package dev.regx.registry.manifest;

import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.blob.Digest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Resolves a reference to one image: fetches the manifest, descends from an index to the chosen
 * platform's manifest, checks digests where they are known in advance, and reads the config.
 */
public final class ManifestResolver {
    /** Fetching is the registry client's job; this interface keeps the resolver free of HTTP. */
    public interface ManifestSource {
        ManifestDocument manifest(ImageReference ref, String reference);

        byte[] blob(ImageReference ref, Descriptor descriptor);
    }

    private final ManifestSource source;

    public ManifestResolver(ManifestSource source) {
        this.source = source;
    }

    /**
     * @param platform the platform to choose from an index; the host's Linux platform when empty
     */
    public ResolvedImage resolve(ImageReference ref, Optional<Platform> platform) {
        ManifestDocument top = source.manifest(ref, ref.manifestReference());
        if (ref.digest().isPresent()) {
            checkDigest(top, Digest.parse(ref.digest().get()), ref.toString());
        }
        Optional<String> indexDigest = Optional.empty();
        ManifestDocument image = top;
        Optional<Platform> chosen = Optional.empty();
        if (top.isIndex()) {
            Platform wanted = platform.isPresent() ? platform.get() : Platform.host();
            Descriptor entry = PlatformSelector.select(top.manifests(), wanted).orElse(null);
            if (entry == null) {
                Set<String> available = PlatformSelector.available(top.manifests());
                throw new RegistryException(
                        Kind.PLATFORM_NOT_FOUND,
                        ref + " has no image for " + wanted
                                + (available.isEmpty()
                                        ? "; its index lists no image of any platform, only attestations or entries without one"
                                        : "; available: " + String.join(", ", available)
                                                + " (choose with --platform)"));
            }
            image = source.manifest(ref, entry.digest());
            checkDigest(image, Digest.parse(entry.digest()), ref + " for " + wanted);
            if (image.isIndex()) {
                throw new RegistryException(
                        Kind.MALFORMED_RESPONSE,
                        "the " + wanted + " entry of " + ref + " is itself an index; nested indexes are not supported");
            }
            indexDigest = Optional.of(top.digest().toString());
            chosen = Optional.of(entry.platform());
        }
        ImageConfig config = ImageConfig.parse(source.blob(ref, image.config()), "config of " + ref);
        if (chosen.isEmpty()) {
            chosen = config.platformIfAny();
        }
        List<Optional<HistoryEntry>> history =
                config.historyByLayer(image.layers().size());
        List<ImageLayer> layers = new ArrayList<>();
        for (int i = 0; i < image.layers().size(); i++) {
            String diffId = i < config.diffIds().size() ? config.diffIds().get(i) : null;
            layers.add(new ImageLayer(i, image.layers().get(i), diffId, history.get(i)));
        }
        return new ResolvedImage(ref, image, indexDigest, chosen, config, List.copyOf(layers));
    }

    private static void checkDigest(ManifestDocument manifest, Digest expected, String what) {
        byte[] actual = expected.hasherFor(manifest.bytes().length).digest(manifest.bytes());
        if (!expected.matches(actual)) {
            throw new RegistryException(
                    Kind.DIGEST_MISMATCH,
                    "manifest of " + what + " has digest " + Digest.of(expected.algorithm(), actual) + ", not "
                            + expected + " as requested; the registry sent something else");
        }
    }
}
