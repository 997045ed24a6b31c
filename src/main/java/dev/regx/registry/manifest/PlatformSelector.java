package dev.regx.registry.manifest;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Chooses the image for a platform from an index or manifest list. Attestation manifests (BuildKit
 * writes them with platform {@code unknown/unknown}) are never chosen. Among matches, an exact variant
 * match beats a looser one; otherwise the first entry wins, as with Docker.
 */
public final class PlatformSelector {
    private static final String REFERENCE_TYPE = "vnd.docker.reference.type";

    private PlatformSelector() {}

    public static Optional<Descriptor> select(List<Descriptor> entries, Platform wanted) {
        Descriptor loose = null;
        for (Descriptor d : entries) {
            if (isAttestation(d) || d.platform() == null || !wanted.accepts(d.platform())) {
                continue;
            }
            if (wanted.variant() == null && d.platform().variant() != null && !defaultVariant(wanted, d.platform())) {
                if (loose == null) {
                    loose = d;
                }
                continue;
            }
            return Optional.of(d);
        }
        return Optional.ofNullable(loose);
    }

    /** The platforms an index offers, attestations left out, for error messages. */
    public static Set<String> available(List<Descriptor> entries) {
        return entries.stream()
                .filter(d -> !isAttestation(d) && d.platform() != null)
                .map(d -> d.platform().toString())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    /** Whether an index entry is an attestation (BuildKit's provenance and SBOM manifests), not an image. */
    public static boolean isAttestation(Descriptor d) {
        return (d.platform() != null && d.platform().isUnknown())
                || "attestation-manifest".equals(d.annotations().get(REFERENCE_TYPE));
    }

    /** {@code arm64/v8} is what a plain {@code arm64} request means; {@code arm/v7} for {@code arm} on the host. */
    private static boolean defaultVariant(Platform wanted, Platform candidate) {
        return (candidate.architecture().equals("arm64") && "v8".equals(candidate.variant()))
                || (candidate.architecture().equals("arm") && "v7".equals(candidate.variant()));
    }
}
