package dev.regx.cli;

import dev.regx.registry.manifest.ResolvedImage;

/** The one stderr line that says what a reference resolved to: digest, platform, media type. */
final class ResolvedSummary {
    private ResolvedSummary() {}

    /** Escaped: the platform comes from the image's config, the registry's text. */
    static String of(ResolvedImage image) {
        return ErrorReporter.oneLine(unescaped(image));
    }

    private static String unescaped(ResolvedImage image) {
        StringBuilder s = new StringBuilder()
                .append(image.reference())
                .append(" resolved to ")
                .append(image.manifestDigest());
        if (image.platform().isPresent()) {
            s.append(" (").append(image.platform().get()).append(')');
        }
        if (image.indexDigest().isPresent()) {
            s.append(" from index ").append(image.indexDigest().get());
        }
        return s.toString();
    }
}
