package dev.regx.registry;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.regx.registry.RegistryException.Kind;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link ImageReference#parse}: whatever a user (or a script fed by strangers) types, either a usage error
 * (exit 2) or a reference whose parts can go into a URL path unescaped and that reads back as itself.
 */
class ImageReferenceFuzzTest {

    @FuzzTest
    void parsesOrRefusesAsAUsageError(byte[] typed) {
        String input = new String(typed, StandardCharsets.UTF_8);
        ImageReference ref;
        try {
            ref = ImageReference.parse(input);
        } catch (RegistryException e) {
            assertThat(e.kind()).isEqualTo(Kind.INVALID_REFERENCE);
            return;
        }
        // The parts go into request paths (/v2/REPOSITORY/manifests/REFERENCE): nothing that could leave them.
        assertThat(ref.repository())
                .matches("[a-z0-9._/-]+")
                .doesNotContain("..")
                .doesNotStartWith("/");
        assertThat(ref.registry()).matches("[A-Za-z0-9.:\\[\\]-]+");
        assertThat(ref.manifestReference()).matches("[\\w][\\w.-]{0,127}|sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");
        assertThat(ImageReference.parse(ref.toString()).toString()).isEqualTo(ref.toString());
    }
}
