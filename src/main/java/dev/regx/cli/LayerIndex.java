package dev.regx.cli;

import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.manifest.ResolvedImage;
import java.math.BigInteger;

/** The layer a user named by index, as {@code regx layers} numbers them (0 is the base). */
final class LayerIndex {
    private LayerIndex() {
    }

    static ImageLayer select(ResolvedImage image, int index) {
        return select(image, BigInteger.valueOf(index));
    }

    /** As {@link #select(ResolvedImage, int)}, for an index typed with more digits than an int holds. */
    static ImageLayer select(ResolvedImage image, BigInteger index) {
        int n = image.layers().size();
        if (index.signum() < 0 || index.compareTo(BigInteger.valueOf(n)) >= 0) {
            throw new CommandFailure(ExitCode.NOT_FOUND, image.reference() + " has " + n + (n == 1 ? " layer" : " layers")
                    + (n == 0 ? "" : " (0 to " + (n - 1) + ")") + "; there is no layer " + index);
        }
        return image.layers().get(index.intValue());
    }
}
