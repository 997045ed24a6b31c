package dev.regx.save;

import dev.regx.layer.LayerCompression;
import dev.regx.registry.Digest;
import dev.regx.registry.ImageReference;
import java.nio.charset.StandardCharsets;

/**
 * The file name {@code regx save} gives a layer: {@code NAMESPACE-REPO-TAG-IDX.EXT}, e.g.
 * {@code smoshysmosh-composer-latest-0.tar.gzip}. The repository path's slashes become dashes and the
 * registry host is left out; a reference by digest alone uses {@code sha256-} and the manifest digest's
 * first 12 hex digits in place of the tag. The extension follows the layer's media type.
 *
 * <p>A reference may be far longer than a file name can be (a repository of 255 characters and a tag of 128 are
 * both valid), so a name that would not fit {@link #NAME_MAX} bytes, with room for the {@code .part} it is
 * downloaded under, keeps the start of the image part and replaces the rest with 12 hex digits of the full
 * name's SHA-256: still unique per image, and the same on every run, so a cut download still resumes.
 */
public final class LayerFileName {
    /** NAME_MAX of ext4, xfs, btrfs, tmpfs and most others, in bytes. */
    static final int NAME_MAX = 255;
    /** Room kept for the {@code .part} suffix of a download in progress. */
    private static final int PART_SUFFIX = ".part".length();

    private static final int HASH_HEX_DIGITS = 12;

    private LayerFileName() {}

    public static String of(ImageReference ref, int index, String layerMediaType) {
        return fitted(
                image(ref),
                "-" + index + LayerCompression.fromMediaType(layerMediaType).fileExtension());
    }

    /**
     * {@code NAMESPACE-REPO-TAG} followed by {@code suffix}, shortened as the class describes if it would be too long
     * for a file name ({@code extract}'s directories are named so).
     */
    public static String image(ImageReference ref, String suffix) {
        return fitted(image(ref), suffix);
    }

    /** The part that names the image: {@code NAMESPACE-REPO-TAG}. */
    private static String image(ImageReference ref) {
        String version = ref.effectiveTag().orElseGet(() -> {
            Digest d = Digest.parse(ref.digest().orElseThrow());
            return d.algorithm() + "-" + d.shortHex(12);
        });
        return ref.repository().replace('/', '-') + "-" + version;
    }

    private static String fitted(String image, String suffix) {
        String full = image + suffix;
        int room = NAME_MAX - PART_SUFFIX;
        if (bytes(full) <= room) {
            return full;
        }
        String hash = Digest.sha256(full.getBytes(StandardCharsets.UTF_8)).shortHex(HASH_HEX_DIGITS);
        // References are ASCII (the grammar allows nothing else), so a char is a byte.
        int keep = Math.max(0, room - bytes(suffix) - 1 - HASH_HEX_DIGITS);
        return image.substring(0, Math.min(keep, image.length())) + "-" + hash + suffix;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
