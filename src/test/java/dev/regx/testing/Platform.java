package dev.regx.testing;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code os/architecture[/variant]} of an image, as in a config and an index's {@code platform} entry. */
public record Platform(String os, String architecture, String variant) {
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);
    public static final Platform LINUX_ARM64_V8 = new Platform("linux", "arm64", "v8");
    /** What BuildKit puts on an attestation manifest's index entry. */
    public static final Platform UNKNOWN = new Platform("unknown", "unknown", null);

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("architecture", architecture);
        m.put("os", os);
        if (variant != null) {
            m.put("variant", variant);
        }
        return m;
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
