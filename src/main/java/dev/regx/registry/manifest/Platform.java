package dev.regx.registry.manifest;

import dev.regx.UsageException;
import java.util.Locale;
import java.util.Objects;

/** An image platform: {@code os/architecture[/variant]}, as in {@code linux/arm64/v8}. */
public record Platform(String os, String architecture, String variant) {

    public Platform {
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(architecture, "architecture");
        variant = variant == null || variant.isEmpty() ? null : variant;
    }

    /**
     * Parses {@code os/arch[/variant]} as given to {@code --platform}.
     *
     * @throws IllegalArgumentException with a message that quotes the input
     */
    public static Platform parse(String text) {
        String[] parts = text.trim().toLowerCase(Locale.ROOT).split("/", -1);
        if (parts.length < 2
                || parts.length > 3
                || parts[0].isEmpty()
                || parts[1].isEmpty()
                || (parts.length == 3 && parts[2].isEmpty())) {
            throw new UsageException("invalid platform \"" + text + "\": expected OS/ARCH[/VARIANT], e.g. linux/arm64");
        }
        return new Platform(parts[0], normalizeArchitecture(parts[1]), parts.length == 3 ? parts[2] : null);
    }

    /** Linux on the architecture this JVM runs on, named the way image indexes name it. */
    public static Platform host() {
        String arch = normalizeArchitecture(System.getProperty("os.arch", "amd64"));
        return new Platform("linux", arch, arch.equals("arm") ? "v7" : null);
    }

    /** Maps the JVM's and common aliases to the GOARCH names image indexes use. */
    static String normalizeArchitecture(String arch) {
        return switch (arch.toLowerCase(Locale.ROOT)) {
            case "x86_64", "x86-64", "amd64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i486", "i586", "i686" -> "386";
            case "armhf", "armv7l", "arm" -> "arm";
            case "ppc64el", "ppc64le" -> "ppc64le";
            default -> arch.toLowerCase(Locale.ROOT);
        };
    }

    /**
     * Whether an index entry for {@code candidate} satisfies a request for this platform. Without a requested
     * variant any variant matches; {@code arm64} treats a missing variant and {@code v8} as the same thing.
     */
    public boolean accepts(Platform candidate) {
        if (!os.equals(candidate.os) || !architecture.equals(candidate.architecture)) {
            return false;
        }
        if (variant == null) {
            return true;
        }
        return Objects.equals(normalizedVariant(), candidate.normalizedVariant());
    }

    private String normalizedVariant() {
        return architecture.equals("arm64") && variant == null ? "v8" : variant;
    }

    /** Whether this looks like the placeholder platform of an attestation manifest. */
    public boolean isUnknown() {
        return os.equals("unknown") && architecture.equals("unknown");
    }

    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
