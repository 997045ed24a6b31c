package dev.regx.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regx.registry.ImageReference;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.manifest.ImageLayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code -o} names, and the file each layer then goes to. */
class DestinationTest {
    private static final ImageReference REF = ImageReference.parse("registry.lan/team/app:1.2");
    private static final ImageLayer LAYER = new ImageLayer(
            2,
            new Descriptor(
                    "application/vnd.oci.image.layer.v1.tar+gzip",
                    "sha256:" + "a".repeat(64),
                    10,
                    List.of(),
                    null,
                    Map.of()),
            null,
            Optional.empty());

    @TempDir
    Path dir;

    @Test
    void noOutputIsTheCurrentDirectoryWithDefaultNames() {
        Destination d = Destination.of(null);

        assertThat(d.namesFile()).isFalse();
        assertThat(d.target(REF, LAYER)).isEqualTo(Path.of("team-app-1.2-2.tar.gzip"));
    }

    @Test
    void anExistingDirectoryKeepsDefaultNamesAndAnyOtherPathNamesTheFile() throws Exception {
        Path existing = Files.createDirectory(dir.resolve("out"));

        assertThat(Destination.of(existing.toString()).target(REF, LAYER))
                .isEqualTo(existing.resolve("team-app-1.2-2.tar.gzip"));
        Destination file = Destination.of(dir.resolve("layer.tgz").toString());
        assertThat(file.namesFile()).isTrue();
        assertThat(file.target(REF, LAYER)).isEqualTo(dir.resolve("layer.tgz"));
    }

    @Test
    void aTrailingSlashNamesADirectoryThatPrepareCreatesWithItsParents() throws Exception {
        Destination d = Destination.of(dir + "/a/b/");

        assertThat(d.namesFile()).isFalse();
        d.prepare();
        assertThat(dir.resolve("a/b")).isDirectory();
        assertThat(d.target(REF, LAYER)).isEqualTo(dir.resolve("a/b/team-app-1.2-2.tar.gzip"));
    }

    @Test
    void aFileInADirectoryThatIsMissingFailsToPrepareAsALocalWriteFailure() {
        Destination d = Destination.of(dir.resolve("missing/layer.tgz").toString());

        assertThatThrownBy(d::prepare).isInstanceOf(LocalWriteException.class).hasMessageContaining("missing");
        assertThat(dir.resolve("missing")).doesNotExist();
    }
}
