package dev.regx.testing;

import java.util.List;

/** A {@link TestIndex} in a registry, with each of its entries pushed as a {@link PushedImage} (untagged). */
public record PushedIndex(String host, String repository, String tag, TestIndex index, List<PushedImage> children) {
    public PushedIndex {
        children = List.copyOf(children);
    }

    public String reference() {
        return host + "/" + repository + ":" + tag;
    }

    public String digestReference() {
        return host + "/" + repository + "@" + index.digest();
    }

    public String digest() {
        return index.digest();
    }

    public String mediaType() {
        return index.mediaType();
    }

    /** The image entry for {@code platform} (not an attestation). */
    public PushedImage child(Platform platform) {
        TestImage image = index.image(platform);
        return children.stream().filter(c -> c.image() == image).findFirst().orElseThrow();
    }
}
