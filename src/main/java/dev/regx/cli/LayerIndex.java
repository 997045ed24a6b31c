package dev.regx.cli;

import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.manifest.ResolvedImage;

/** The layer a user named by index, as {@code regx layers} numbers them (0 is the base). */
final class LayerIndex {
    private LayerIndex() {
    }

    static ImageLayer select(ResolvedImage image, int index) {
        int n = image.layers().size();
        if (index < 0 || index >= n) {
            throw new CommandFailure(ExitCode.NOT_FOUND, image.reference() + " has " + n + (n == 1 ? " layer" : " layers")
                    + (n == 0 ? "" : " (0 to " + (n - 1) + ")") + "; there is no layer " + index);
        }
        return image.layers().get(index);
    }
}
