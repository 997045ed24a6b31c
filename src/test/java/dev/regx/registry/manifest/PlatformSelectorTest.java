package dev.regx.registry.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlatformSelectorTest {
    private static Descriptor entry(String digestHex, String platform, Map<String, String> annotations) {
        return new Descriptor(
                MediaTypes.OCI_MANIFEST,
                "sha256:" + digestHex.repeat(64 / digestHex.length()),
                100,
                List.of(),
                platform == null ? null : Platform.parse(platform),
                annotations);
    }

    private static Descriptor entry(String hex, String platform) {
        return entry(hex, platform, Map.of());
    }

    private final List<Descriptor> index = List.of(
            entry("a", "unknown/unknown", Map.of("vnd.docker.reference.type", "attestation-manifest")),
            entry("b", "linux/amd64"),
            entry("c", "linux/arm/v6"),
            entry("d", "linux/arm/v7"),
            entry("e", "linux/arm64/v8"),
            entry("f", "windows/amd64"));

    @Test
    void picksTheEntryForTheRequestedPlatform() {
        assertThat(PlatformSelector.select(index, Platform.parse("linux/amd64")))
                .map(Descriptor::digest)
                .hasValueSatisfying(d -> assertThat(d).startsWith("sha256:b"));
        assertThat(PlatformSelector.select(index, Platform.parse("windows/amd64")))
                .map(Descriptor::digest)
                .hasValueSatisfying(d -> assertThat(d).startsWith("sha256:f"));
    }

    @Test
    void plainArm64MatchesTheV8Variant() {
        assertThat(PlatformSelector.select(index, Platform.parse("linux/arm64")))
                .map(Descriptor::digest)
                .hasValueSatisfying(d -> assertThat(d).startsWith("sha256:e"));
        assertThat(PlatformSelector.select(index, Platform.parse("linux/aarch64/v8")))
                .isPresent();
    }

    @Test
    void explicitVariantMustMatchExactly() {
        assertThat(PlatformSelector.select(index, Platform.parse("linux/arm/v6")))
                .map(Descriptor::digest)
                .hasValueSatisfying(d -> assertThat(d).startsWith("sha256:c"));
        assertThat(PlatformSelector.select(index, Platform.parse("linux/arm/v5")))
                .isEmpty();
    }

    @Test
    void plainArmPrefersV7OverTheFirstVariantListed() {
        assertThat(PlatformSelector.select(index, Platform.parse("linux/arm")))
                .map(Descriptor::digest)
                .hasValueSatisfying(d -> assertThat(d).startsWith("sha256:d"));
    }

    @Test
    void neverPicksAttestations() {
        assertThat(PlatformSelector.select(index, Platform.parse("unknown/unknown")))
                .isEmpty();
        assertThat(PlatformSelector.available(index))
                .containsExactly("linux/amd64", "linux/arm/v6", "linux/arm/v7", "linux/arm64/v8", "windows/amd64");
    }

    @Test
    void parsesAndRejectsPlatformStrings() {
        assertThat(Platform.parse("Linux/X86_64")).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(Platform.parse("linux/arm/v7").variant()).isEqualTo("v7");
        assertThatThrownBy(() -> Platform.parse("linux")).hasMessageContaining("\"linux\"");
        assertThatThrownBy(() -> Platform.parse("linux/amd64/v1/x")).hasMessageContaining("OS/ARCH");
        assertThatThrownBy(() -> Platform.parse("linux//v7")).hasMessageContaining("OS/ARCH");
    }

    @Test
    void hostPlatformIsLinuxOnThisCpu() {
        Platform host = Platform.host();
        assertThat(host.os()).isEqualTo("linux");
        assertThat(host.architecture()).isIn("amd64", "arm64", "arm", "386", "ppc64le", "s390x", "riscv64");
    }
}
