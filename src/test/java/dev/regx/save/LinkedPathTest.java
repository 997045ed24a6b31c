package dev.regx.save;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkedPathTest {
    @TempDir
    Path dir;

    @Test
    void aPathThatIsNoLinkIsItselfWhetherOrNotItExists() throws Exception {
        Path missing = dir.resolve("missing.tar.gzip");
        assertThat(LinkedPath.of(missing)).isSameAs(missing);
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThat(LinkedPath.of(file)).isSameAs(file);
        assertThat(LinkedPath.of(Path.of("relative-name"))).isEqualTo(Path.of("relative-name"));
    }

    @Test
    void aChainOfLinksLeadsToItsLastTargetEvenOneNotThereYet() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Path last = Files.createSymbolicLink(sub.resolve("last"), Path.of("../archive/layer-0.tar.gzip"));
        Path first = Files.createSymbolicLink(dir.resolve("current"), Path.of("sub/last"));
        Files.createDirectories(dir.resolve("archive"));

        Path resolved = LinkedPath.of(first);

        assertThat(resolved).doesNotExist();
        assertThat(resolved.getParent().toRealPath())
                .isEqualTo(dir.resolve("archive").toRealPath());
        assertThat(resolved.getFileName()).hasToString("layer-0.tar.gzip");
        assertThat(LinkedPath.of(last).getParent().toRealPath())
                .isEqualTo(dir.resolve("archive").toRealPath());
    }

    @Test
    void anAbsoluteTargetIsTakenAsItIs() throws Exception {
        Path target = dir.resolve("elsewhere/blob");
        Path link = Files.createSymbolicLink(dir.resolve("link"), target);
        assertThat(LinkedPath.of(link)).isEqualTo(target);
    }

    @Test
    void aLoopOfLinksIsALocalWriteError() throws Exception {
        Files.createSymbolicLink(dir.resolve("a"), Path.of("b"));
        Path b = Files.createSymbolicLink(dir.resolve("b"), Path.of("a"));

        assertThatThrownBy(() -> LinkedPath.of(b))
                .isInstanceOf(LocalWriteException.class)
                .hasMessage("cannot write " + b
                        + ": too many levels of symbolic links (a loop?); fix the link, or save elsewhere with -o");
    }
}
