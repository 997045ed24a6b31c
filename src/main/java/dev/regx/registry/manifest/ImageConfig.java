package dev.regx.registry.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regx.registry.JsonDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The parts of an image config blob regx uses: platform, {@code rootfs.diff_ids} and {@code history}. */
public record ImageConfig(Platform platform, List<String> diffIds, List<HistoryEntry> history) {

    public static ImageConfig parse(byte[] json, String what) {
        JsonNode root = JsonDocument.parse(json, what);
        if (!root.isObject()) {
            throw Descriptor.malformed(what + " is not a JSON object");
        }
        Platform platform = root.hasNonNull("os") && root.hasNonNull("architecture")
                ? new Platform(
                        root.path("os").asText(),
                        root.path("architecture").asText(),
                        root.hasNonNull("variant") ? root.path("variant").asText() : null)
                : null;
        List<String> diffIds = new ArrayList<>();
        for (JsonNode diffId : root.path("rootfs").path("diff_ids")) {
            diffIds.add(diffId.asText());
        }
        List<HistoryEntry> history = new ArrayList<>();
        for (JsonNode h : root.path("history")) {
            history.add(new HistoryEntry(
                    h.path("created").asText(null),
                    h.path("created_by").asText(null),
                    h.path("comment").asText(null),
                    h.path("empty_layer").asBoolean(false)));
        }
        return new ImageConfig(platform, List.copyOf(diffIds), List.copyOf(history));
    }

    public Optional<Platform> platformIfAny() {
        return Optional.ofNullable(platform);
    }

    /**
     * The history entry that made each layer, by layer index. History entries marked {@code empty_layer}
     * made no layer and are skipped. When the counts disagree (some builders write no history, or too
     * little) the layers without a matching entry get empty rather than a wrong command.
     */
    public List<Optional<HistoryEntry>> historyByLayer(int layerCount) {
        List<HistoryEntry> producing = new ArrayList<>(history.size());
        for (HistoryEntry h : history) { // a loop, not a stream: streams load ~25 classes on a cold start
            if (!h.emptyLayer()) {
                producing.add(h);
            }
        }
        List<Optional<HistoryEntry>> out = new ArrayList<>(layerCount);
        boolean aligned = producing.size() == layerCount;
        for (int i = 0; i < layerCount; i++) {
            out.add(aligned ? Optional.of(producing.get(i)) : Optional.empty());
        }
        return out;
    }
}
