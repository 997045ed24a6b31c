package dev.regx.registry.manifest;

/** One entry of an image config's {@code history}: the step that produced a layer, or an empty one. */
public record HistoryEntry(String created, String createdBy, String comment, boolean emptyLayer) {}
