package dev.regx.save;

import dev.regx.layer.LayerCompression;
import dev.regx.registry.ImageReference;
import dev.regx.registry.blob.Digest;

/**
 * The file name {@code regx save} gives a layer: {@code NAMESPACE-REPO-TAG-IDX.EXT}, e.g.
 * {@code smoshysmosh-composer-latest-0.tar.gzip}. The repository path's slashes become dashes and the
 * registry host is left out; a reference by digest alone uses {@code sha256-} and the manifest digest's
 * first 12 hex digits in place of the tag. The extension follows the layer's media type.
 */
public final class LayerFileName {
    private LayerFileName() {}

    public static String of(ImageReference ref, int index, String layerMediaType) {
        return image(ref) + "-" + index
                + LayerCompression.fromMediaType(layerMediaType).fileExtension();
    }

    /** The part that names the image: {@code NAMESPACE-REPO-TAG} ({@code extract}'s merged view is named so). */
    public static String image(ImageReference ref) {
        String version = ref.effectiveTag().orElseGet(() -> {
            Digest d = Digest.parse(ref.digest().orElseThrow());
            return d.algorithm() + "-" + d.shortHex(12);
        });
        return ref.repository().replace('/', '-') + "-" + version;
    }
}
