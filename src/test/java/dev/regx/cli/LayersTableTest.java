package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.manifest.HistoryEntry;
import dev.regx.registry.manifest.ImageLayer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LayersTableTest {
    private static final String DIGEST_0 = "sha256:a768698ad044312546272d6f60949109128f94a69786eead5f00e88ad5363ad4";
    private static final String DIGEST_1 = "sha256:52567aa191d87c2cb82c4935e366c022e75079f47f07dd598f712afcb8269d15";
    private static final List<ImageLayer> LAYERS = List.of(
            layer(0, DIGEST_0, 3_408_729, "/bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8473744917d08b74 in /"),
            layer(1, DIGEST_1, 6_042, "/bin/sh -c apk add --no-cache php82 php82-phar php82-mbstring git unzip"));

    private static ImageLayer layer(int index, String digest, long size, String createdBy) {
        Descriptor descriptor = new Descriptor(
                "application/vnd.docker.image.rootfs.diff.tar.gzip", digest, size, List.of(), null, Map.of());
        return new ImageLayer(index, descriptor, null, Optional.of(new HistoryEntry(null, createdBy, null, false)));
    }

    private static List<String> print(boolean exactBytes, OptionalInt width) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            new LayersTable(exactBytes, width).print(LAYERS, 3_414_771, out);
        }
        return text.toString().lines().toList();
    }

    @Test
    void offATerminalEveryColumnIsWhole() {
        assertThat(print(false, OptionalInt.empty()))
                .containsExactly(
                        "IDX  DIGEST                                                                      SIZE  MEDIA TYPE       CREATED BY",
                        "  0  " + DIGEST_0
                                + "  3.3 MiB  docker/tar+gzip  /bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8473744917d08b74 in /",
                        "  1  " + DIGEST_1
                                + "  5.9 KiB  docker/tar+gzip  /bin/sh -c apk add --no-cache php82 php82-phar php82-mbstring git unzip",
                        "total 2 layers, 3.3 MiB");
    }

    @Test
    void anEightyColumnTerminalGetsShortDigestsAndEveryColumnWithTheCommandCutToFit() {
        List<String> lines = print(false, OptionalInt.of(80));

        assertThat(lines)
                .containsExactly(
                        "IDX  DIGEST                  SIZE  MEDIA TYPE       CREATED BY",
                        "  0  sha256:a768698ad044  3.3 MiB  docker/tar+gzip  /bin/sh -c #(nop) ADD file:…",
                        "  1  sha256:52567aa191d8  5.9 KiB  docker/tar+gzip  /bin/sh -c apk add --no-cac…",
                        "total 2 layers, 3.3 MiB");
        assertThat(lines).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    }

    @Test
    void aTerminalWideEnoughForWholeDigestsAndSomeOfTheCommandKeepsThemWhole() {
        // Whole digests put the command at column 104: 124 columns leave it the 20 it needs.
        assertThat(print(false, OptionalInt.of(124)).get(1))
                .startsWith("  0  " + DIGEST_0 + "  3.3 MiB  docker/tar+gzip  /bin/sh -c")
                .endsWith("…")
                .hasSize(124);
        assertThat(print(false, OptionalInt.of(123)).get(1)).startsWith("  0  sha256:a768698ad044  3.3 MiB");
    }

    @Test
    void exactSizesSayTheirUnitInTheTotal() {
        assertThat(print(true, OptionalInt.empty())).last().isEqualTo("total 2 layers, 3414771 bytes");
    }
}
