package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class MergedFileSystemTest {
    private final MergedFileSystem fs = new MergedFileSystem();

    private static LayerEntry dir(String path) {
        return LayerEntry.of(path, EntryType.DIRECTORY, 0755);
    }

    private static LayerEntry file(String path) {
        return LayerEntry.of(path, EntryType.FILE, 0644);
    }

    private void layer(int index, LayerEntry... entries) {
        for (LayerEntry entry : entries) {
            fs.apply(index, entry);
        }
    }

    private List<String> paths() {
        return fs.entries().stream().map(MergedEntry::path).toList();
    }

    @Test
    void laterLayerReplacesAnEntryAtTheSamePath() {
        layer(0, dir("etc"), file("etc/hosts").withSize(1));
        layer(1, file("etc/hosts").withSize(2));

        assertThat(fs.get("/etc/hosts"))
                .get()
                .satisfies(e -> assertThat(e.layerIndex()).isEqualTo(1))
                .satisfies(e -> assertThat(e.entry().size()).isEqualTo(2));
        assertThat(fs.get("etc").orElseThrow().layerIndex()).as("untouched").isZero();
    }

    @Test
    void whiteoutDeletesThePathAndEverythingUnderItFromLowerLayers() {
        layer(0, dir("opt"), dir("opt/app"), file("opt/app/bin"), file("opt/application"), file("opt/app-b"));
        layer(1, file("opt/.wh.app"));

        assertThat(paths()).containsExactly("opt", "opt/app-b", "opt/application");
    }

    @Test
    void containsAPathWithAnEntryOrEntriesBelowItButNotOneAWhiteoutDeleted() {
        layer(0, dir("opt"), file("opt/app/bin"), file("opt/app-b"), file("opt/gone/x"), file("srv"));
        layer(1, file("opt/.wh.gone"));

        assertThat(fs.contains("opt")).as("its own entry").isTrue();
        assertThat(fs.contains("/opt/app/"))
                .as("no entry of its own, but a file below it")
                .isTrue();
        assertThat(fs.contains("opt/app-b")).isTrue();
        assertThat(fs.contains("opt/ap")).as("a prefix of a name is not a path").isFalse();
        assertThat(fs.contains("opt/gone")).as("deleted by a whiteout").isFalse();
        assertThat(fs.contains("opt/gone/x")).isFalse();
        assertThat(fs.contains("srv/x")).as("below a file").isFalse();
        assertThat(fs.contains("zzz")).isFalse();
        assertThat(new MergedFileSystem().contains("/"))
                .as("the root always exists")
                .isTrue();
    }

    @Test
    void whiteoutMarkersNeverAppear() {
        layer(0, file("a"));
        layer(1, file(".wh.a"), file("x/.wh..wh..opq"), file("x/.wh..wh.plnk"));

        assertThat(paths()).isEmpty();
    }

    @Test
    void whiteoutThenReAddInTheSameLaterLayerKeepsTheNewEntry() {
        layer(0, dir("etc"), file("etc/conf"), file("etc/conf.d"));
        // Either order within a layer: a whiteout only hides lower layers.
        layer(1, file("etc/conf"), file("etc/.wh.conf"), file("etc/.wh.conf.d"));
        layer(2, dir("etc/conf.d"));

        assertThat(fs.get("etc/conf").orElseThrow().layerIndex()).isEqualTo(1);
        assertThat(fs.get("etc/conf.d").orElseThrow().entry().type()).isEqualTo(EntryType.DIRECTORY);
        assertThat(paths()).containsExactly("etc", "etc/conf", "etc/conf.d");
    }

    @Test
    void opaqueDirectoryHidesLowerChildrenButKeepsItsOwnLayersFiles() {
        layer(
                0,
                dir("var"),
                dir("var/cache"),
                file("var/cache/old"),
                dir("var/cache/sub"),
                file("var/cache/sub/x"),
                file("var/cachet"));
        layer(1, file("var/cache/new"), dir("var/cache"), file("var/cache/.wh..wh..opq"));

        assertThat(paths()).containsExactly("var", "var/cache", "var/cache/new", "var/cachet");
        assertThat(fs.get("var/cache").orElseThrow().layerIndex()).isEqualTo(1);
    }

    @Test
    void opaqueRootHidesEverythingBelow() {
        layer(0, dir("a"), file("a/b"), file("c"));
        layer(1, file("d"), file(".wh..wh..opq"));

        assertThat(paths()).containsExactly("d");
    }

    @Test
    void fileReplacingADirectoryRemovesItsChildren() {
        layer(0, dir("srv"), dir("srv/data"), file("srv/data/1"), file("srv/data/2"));
        layer(1, file("srv/data"));

        assertThat(paths()).containsExactly("srv", "srv/data");
        assertThat(fs.get("srv/data").orElseThrow().entry().type()).isEqualTo(EntryType.FILE);
    }

    @Test
    void directoryReplacingAFileOrADirectoryKeepsWhatIsUnderIt() {
        layer(0, file("x"), dir("d"), file("d/keep"));
        layer(1, dir("x"), file("x/new"), LayerEntry.of("d", EntryType.DIRECTORY, 0700));

        assertThat(paths()).containsExactly("d", "d/keep", "x", "x/new");
        assertThat(fs.get("d").orElseThrow().entry().mode()).isEqualTo(0700);
    }

    @Test
    void hardLinksAreKeptAsLinksEvenWhenTheirTargetIsDeleted() {
        layer(
                0,
                dir("bin"),
                file("bin/busybox"),
                LayerEntry.of("bin/ls", EntryType.HARDLINK, 0755).withLinkTarget("./bin/busybox"));
        layer(1, file("bin/.wh.busybox"));

        assertThat(paths()).containsExactly("bin", "bin/ls");
        assertThat(fs.get("bin/ls").orElseThrow().entry().linkTarget()).isEqualTo("bin/busybox");
    }

    @Test
    void entriesSortAsATreeWalk() {
        layer(0, file("a-b"), file("a/b"), dir("a"), file("a.c"), file("b"));

        assertThat(paths()).containsExactly("a", "a/b", "a-b", "a.c", "b");
    }

    @Test
    void childrenAndSubtreeListings() {
        layer(0, dir("usr"), dir("usr/bin"), file("usr/bin/env"), dir("usr/lib"), file("usr/lib/x/y"), file("usrx"));

        assertThat(fs.children("/usr/")).extracting(MergedEntry::path).containsExactly("usr/bin", "usr/lib");
        assertThat(fs.subtree("./usr"))
                .extracting(MergedEntry::path)
                .containsExactly("usr/bin", "usr/bin/env", "usr/lib", "usr/lib/x/y");
        assertThat(fs.children("")).extracting(MergedEntry::path).containsExactly("usr", "usrx");
        assertThat(fs.list(PathFilter.of("usr/bin/env", false)))
                .extracting(MergedEntry::path)
                .containsExactly("usr/bin/env");
    }

    @Test
    void layersMustComeBottomFirst() {
        layer(2, file("a"));

        assertThatThrownBy(() -> fs.apply(1, file("b"))).isInstanceOf(IllegalArgumentException.class);
    }
}
