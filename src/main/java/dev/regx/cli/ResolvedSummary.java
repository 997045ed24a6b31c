package dev.regx.cli;

import dev.regx.registry.manifest.ResolvedImage;

/** The one stderr line that says what a reference resolved to: digest, platform, media type. */
final class ResolvedSummary {
    private ResolvedSummary() {
    }

    static String of(ResolvedImage image) {
        StringBuilder s = new StringBuilder().append(image.reference()).append(" resolved to ").append(image.manifestDigest());
        image.platform().ifPresent(p -> s.append(" (").append(p).append(')'));
        image.indexDigest().ifPresent(d -> s.append(" from index ").append(d));
        return s.toString();
    }
}
