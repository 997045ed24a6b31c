package dev.regx.registry.manifest;

import java.util.Optional;

/**
 * The manifest a reference leads to for one platform, before its config is read: the document the reference
 * names and, when that is an index, the entry chosen from it and that entry's manifest. Every digest on the way
 * is checked.
 *
 * @param top the document the reference names (an index, or the image manifest itself)
 * @param entry the index entry chosen for the platform; empty when {@code top} is an image manifest
 * @param manifest the image manifest: the entry's, or {@code top} itself
 */
public record ManifestSelection(ManifestDocument top, Optional<Descriptor> entry, ManifestDocument manifest) {

    /** The digest of the index the reference named, when it named one. */
    public Optional<String> indexDigest() {
        return entry.isPresent() ? Optional.of(top.digest().toString()) : Optional.empty();
    }

    /** The platform the index entry names; empty for an image reached without an index. */
    public Optional<Platform> platform() {
        return entry.map(Descriptor::platform);
    }
}
