package dev.regx.registry.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regx.registry.RegistryException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageConfigTest {
    private static ImageConfig parse(String json) {
        return ImageConfig.parse(json.getBytes(StandardCharsets.UTF_8), "config");
    }

    @Test
    void historySkipsEmptyLayerEntriesWhenAligningWithLayers() {
        ImageConfig config = parse("""
                {"architecture":"amd64","os":"linux",
                 "rootfs":{"type":"layers","diff_ids":["sha256:aa","sha256:bb","sha256:cc"]},
                 "history":[
                   {"created_by":"/bin/sh -c #(nop) ADD file:abc in / "},
                   {"created_by":"/bin/sh -c #(nop)  CMD [\\"sh\\"]","empty_layer":true},
                   {"created_by":"RUN apk add php"},
                   {"created_by":"ENV A=b","empty_layer":true},
                   {"created_by":"COPY composer /usr/bin/"},
                   {"created_by":"ENTRYPOINT [\\"composer\\"]","empty_layer":true}]}""");
        assertThat(config.diffIds()).containsExactly("sha256:aa", "sha256:bb", "sha256:cc");
        assertThat(config.platform()).isEqualTo(new Platform("linux", "amd64", null));
        assertThat(config.historyByLayer(3))
                .map(h -> h.map(HistoryEntry::createdBy).orElse(null))
                .containsExactly("/bin/sh -c #(nop) ADD file:abc in / ", "RUN apk add php", "COPY composer /usr/bin/");
    }

    @Test
    void mismatchedHistoryLeavesCommandsEmptyRatherThanWrong() {
        ImageConfig config = parse("""
                {"rootfs":{"diff_ids":["sha256:aa","sha256:bb"]},"history":[{"created_by":"only one"}]}""");
        assertThat(config.historyByLayer(2)).containsExactly(Optional.empty(), Optional.empty());
        assertThat(config.platformIfAny()).isEmpty();
    }

    @Test
    void configWithoutHistoryGivesEmptyCommands() {
        assertThat(parse("{\"rootfs\":{\"diff_ids\":[\"sha256:aa\"]}}").historyByLayer(1))
                .containsExactly(Optional.empty());
    }

    @Test
    void garbageConfigIsAMalformedResponse() {
        assertThatThrownBy(() -> parse("not json"))
                .isInstanceOfSatisfying(
                        RegistryException.class,
                        e -> assertThat(e.kind()).isEqualTo(RegistryException.Kind.MALFORMED_RESPONSE))
                .hasMessageContaining("config");
        assertThatThrownBy(() -> parse("[1,2]")).hasMessageContaining("not a JSON object");
    }
}
