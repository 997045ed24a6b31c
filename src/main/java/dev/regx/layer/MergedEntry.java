package dev.regx.layer;

/**
 * An entry of the merged image file system and the layer it comes from.
 *
 * @param entry the entry as the topmost layer holding that path wrote it
 * @param layerIndex that layer's index in the manifest, 0 being the base
 */
public record MergedEntry(LayerEntry entry, int layerIndex) {
    public String path() {
        return entry.path();
    }
}
