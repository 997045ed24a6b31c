package dev.regx.registry.manifest;

import dev.regx.registry.Digest;
import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
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

    /** The document {@code ref} names, as served, checked against the digest the reference pins, if any. */
    public ManifestDocument named(ImageReference ref) {
        ManifestDocument top = source.manifest(ref, ref.manifestReference());
        if (ref.digest().isPresent()) {
            checkDigest(top, Digest.parse(ref.digest().get()), ref.toString());
        }
        return top;
    }

    /**
     * The image manifest {@code ref} leads to for {@code platform}, as {@link #resolve} chooses it, without
     * reading its config.
     *
     * @param platform the platform to choose from an index; the host's Linux platform when empty
     */
    public ManifestSelection select(ImageReference ref, Optional<Platform> platform) {
        ManifestDocument top = named(ref);
        if (!top.isIndex()) {
            return new ManifestSelection(top, Optional.empty(), top);
        }
        Platform wanted = platform.isPresent() ? platform.get() : Platform.host();
        Descriptor entry = PlatformSelector.select(top.manifests(), wanted).orElse(null);
        if (entry == null) {
            Set<String> available = PlatformSelector.available(top.manifests());
            throw new RegistryException(
                    Kind.PLATFORM_NOT_FOUND,
                    ref + " has no image for " + wanted
                            + (available.isEmpty()
                                    ? "; its index lists no image of any platform, only attestations or entries"
                                            + " without one"
                                    : "; available: " + String.join(", ", available) + " (choose with --platform)"));
        }
        ManifestDocument image = source.manifest(ref, entry.digest());
        checkDigest(image, Digest.parse(entry.digest()), ref + " for " + wanted);
        if (image.isIndex()) {
            throw new RegistryException(
                    Kind.MALFORMED_RESPONSE,
                    "the " + wanted + " entry of " + ref + " is itself an index; nested indexes are not supported");
        }
        return new ManifestSelection(top, Optional.of(entry), image);
    }

    /**
     * @param platform the platform to choose from an index; the host's Linux platform when empty
     */
    public ResolvedImage resolve(ImageReference ref, Optional<Platform> platform) {
        ManifestSelection selection = select(ref, platform);
        ManifestDocument image = selection.manifest();
        Optional<Platform> chosen = selection.platform();
        Optional<String> indexDigest = selection.indexDigest();
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
