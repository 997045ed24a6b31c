package dev.regx.testing;

/**
 * A {@link TestImage} as it now sits in a registry: where, under which tag, and the facts to assert against.
 */
public record PushedImage(String host, String repository, String tag, TestImage image) {
    /** {@code 127.0.0.1:PORT/REPOSITORY:TAG} (by digest when untagged): what a test passes to {@code regx layers}. */
    public String reference() {
        return tag == null ? digestReference() : host + "/" + repository + ":" + tag;
    }

    /** {@code 127.0.0.1:PORT/REPOSITORY@sha256:…}. */
    public String digestReference() {
        return host + "/" + repository + "@" + image.manifestDigest();
    }

    public String digest() {
        return image.manifestDigest();
    }

    public String mediaType() {
        return image.manifestMediaType();
    }
}
