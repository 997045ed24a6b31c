package dev.regx.registry.manifest;

import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import java.util.List;
import java.util.Optional;

/**
 * An image reference resolved to one platform's image: the manifest (and the index it came from, if any),
 * the config, and the layers with their history.
 *
 * @param indexDigest the digest of the index or list the reference pointed at, when it pointed at one
 */
public record ResolvedImage(
        ImageReference reference,
        ManifestDocument manifest,
        Optional<String> indexDigest,
        Optional<Platform> platform,
        ImageConfig config,
        List<ImageLayer> layers) {

    /**
     * Checks at resolution that the layers' sizes add up within a {@code long}: each size is valid alone, but a
     * hostile manifest's total could wrap to a negative number in every place that prints it.
     */
    public ResolvedImage {
        long total = 0;
        for (ImageLayer layer : layers) {
            total += layer.size();
            if (total < 0) {
                throw new RegistryException(
                        RegistryException.Kind.MALFORMED_RESPONSE,
                        "manifest " + manifest.digest() + " of " + reference
                                + " names layers whose sizes add up to more than 8 EiB; the registry's answer is"
                                + " malformed");
            }
        }
    }

    public String manifestDigest() {
        return manifest.digest().toString();
    }

    public String mediaType() {
        return manifest.mediaType();
    }

    public long totalSize() {
        long total = 0;
        for (ImageLayer layer : layers) { // a loop, not a stream: streams load ~25 classes on a cold start
            total += layer.size();
        }
        return total;
    }
}
