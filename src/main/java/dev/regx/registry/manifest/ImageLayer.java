package dev.regx.registry.manifest;

import java.util.Optional;

/** One layer of a resolved image: its descriptor, its uncompressed digest and the history that made it. */
public record ImageLayer(int index, Descriptor descriptor, String diffId, Optional<HistoryEntry> history) {

    public String digest() {
        return descriptor.digest();
    }

    public long size() {
        return descriptor.size();
    }

    public String mediaType() {
        return descriptor.mediaType();
    }

    /** The command that made the layer ({@code created_by}), or empty when the history does not say. */
    public Optional<String> createdBy() {
        return history.isPresent() ? Optional.ofNullable(history.get().createdBy()) : Optional.empty();
    }
}
