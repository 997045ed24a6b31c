package dev.regx.cli;

import dev.regx.registry.ImageReference;
import dev.regx.registry.manifest.ManifestSelection;
import dev.regx.registry.manifest.Platform;
import dev.regx.registry.manifest.ResolvedImage;
import java.util.Optional;

/** The one stderr line that says what a reference resolved to: digest, platform, index. */
final class ResolvedSummary {
    private ResolvedSummary() {}

    /** Escaped: the platform comes from the image's config, the registry's text. */
    static String of(ResolvedImage image) {
        return line(image.reference(), image.manifestDigest(), image.platform(), image.indexDigest());
    }

    /** For a manifest chosen without reading its config: the platform is the index entry's, if any. */
    static String of(ImageReference ref, ManifestSelection selection) {
        return line(ref, selection.manifest().digest().toString(), selection.platform(), selection.indexDigest());
    }

    private static String line(
            ImageReference ref, String digest, Optional<Platform> platform, Optional<String> indexDigest) {
        StringBuilder s =
                new StringBuilder().append(ref).append(" resolved to ").append(digest);
        if (platform.isPresent()) {
            s.append(" (").append(platform.get()).append(')');
        }
        if (indexDigest.isPresent()) {
            s.append(" from index ").append(indexDigest.get());
        }
        return ErrorReporter.oneLine(s.toString());
    }
}
