package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"/usr/bin/", "usr/bin", "./usr/bin", "usr//bin/.", "/./usr/bin"})
    void spellingsOfAPathAreEquivalent(String spelling) {
        assertThat(PathFilter.of(spelling, false).path()).isEqualTo("usr/bin");
    }

    @Test
    void directoryShowsDirectChildrenOnly() {
        PathFilter filter = PathFilter.of("usr/bin", false);

        assertThat(filter.accepts("usr/bin/env", EntryType.FILE)).isTrue();
        assertThat(filter.accepts("usr/bin/sub", EntryType.DIRECTORY)).isTrue();
        assertThat(filter.accepts("usr/bin/sub/deeper", EntryType.FILE)).isFalse();
        assertThat(filter.accepts("usr/bin", EntryType.DIRECTORY))
                .as("the directory itself")
                .isFalse();
        assertThat(filter.accepts("usr/binary", EntryType.FILE)).isFalse();
        assertThat(filter.accepts("usr", EntryType.DIRECTORY)).isFalse();
    }

    @Test
    void recursiveShowsTheWholeSubtree() {
        PathFilter filter = PathFilter.of("usr/bin", true);

        assertThat(filter.accepts("usr/bin/sub/deeper", EntryType.FILE)).isTrue();
        assertThat(filter.accepts("usr/bin2/x", EntryType.FILE)).isFalse();
    }

    @Test
    void aFilePathShowsTheFileItself() {
        PathFilter filter = PathFilter.of("/etc/hosts", false);

        assertThat(filter.accepts("etc/hosts", EntryType.FILE)).isTrue();
        assertThat(filter.accepts("etc/hostname", EntryType.FILE)).isFalse();
    }

    @Test
    void pathOrBelowIsWhatProvesThePathExistsWhetherShownOrNot() {
        PathFilter filter = PathFilter.of("./usr/bin/", false);

        assertThat(filter.isPathOrBelow("usr/bin"))
                .as("the directory's own entry, which is not shown")
                .isTrue();
        assertThat(filter.isPathOrBelow("usr/bin/x/y"))
                .as("a grandchild, not shown without -R")
                .isTrue();
        assertThat(filter.isPathOrBelow("usr/binary")).isFalse();
        assertThat(filter.isPathOrBelow("usr")).isFalse();
    }

    @Test
    void rootShowsTopLevelEntries() {
        for (String root : new String[] {"", "/", ".", "./"}) {
            PathFilter filter = PathFilter.of(root, false);
            assertThat(filter.accepts("etc", EntryType.DIRECTORY)).isTrue();
            assertThat(filter.accepts("etc/hosts", EntryType.FILE)).isFalse();
            assertThat(filter.accepts("", EntryType.DIRECTORY)).isFalse();
        }
        assertThat(PathFilter.all().accepts("etc/hosts", EntryType.FILE)).isTrue();
    }
}
