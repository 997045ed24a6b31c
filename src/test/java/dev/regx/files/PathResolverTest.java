package dev.regx.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.layer.EntryType;
import dev.regx.layer.LayerEntry;
import dev.regx.layer.MergedFileSystem;
import org.junit.jupiter.api.Test;

class PathResolverTest {
    private static LayerEntry file(String path) {
        return LayerEntry.of(path, EntryType.FILE, 0644);
    }

    private static LayerEntry link(String path, String target) {
        return LayerEntry.of(path, EntryType.SYMLINK, 0777).withLinkTarget(target);
    }

    private static LayerEntry hardlink(String path, String target) {
        return LayerEntry.of(path, EntryType.HARDLINK, 0644).withLinkTarget(target);
    }

    private static PathResolver oneLayer(LayerEntry... entries) {
        MergedFileSystem fs = new MergedFileSystem();
        for (LayerEntry e : entries) {
            fs.apply(0, e);
        }
        return new PathResolver(fs, true);
    }

    @Test
    void everySpellingOfAPathFindsTheSameFile() {
        PathResolver r = oneLayer(file("etc/passwd"));
        for (String p : new String[] {"etc/passwd", "/etc/passwd", "./etc/passwd", "etc//./passwd"}) {
            assertThat(r.resolve(p, true))
                    .isInstanceOfSatisfying(
                            PathResolver.Found.class, f -> assertThat(f.path()).isEqualTo("etc/passwd"));
        }
    }

    @Test
    void lookupsAreThePathsALinkFreeWalkVisits() {
        assertThat(PathResolver.lookups("/./usr//lib/x")).containsExactly("usr", "usr/lib", "usr/lib/x");
        assertThat(PathResolver.lookups("usr/../etc/x")).containsExactly("usr", "etc", "etc/x");
        assertThat(PathResolver.lookups("../../etc")).containsExactly("etc");
        assertThat(PathResolver.lookups("/")).isEmpty();
    }

    @Test
    void absoluteTargetsStartFromTheImageRootAndDotDotStopsThere() {
        PathResolver r = oneLayer(
                file("etc/passwd"), link("a/abs", "/etc/passwd"), link("a/up", "../../../../../../etc/passwd"));
        assertThat(((PathResolver.Found) r.resolve("a/abs", true)).path()).isEqualTo("etc/passwd");
        assertThat(((PathResolver.Found) r.resolve("a/up", true)).path()).isEqualTo("etc/passwd");
        assertThat(((PathResolver.Found) r.resolve("../../etc/passwd", true)).path())
                .isEqualTo("etc/passwd");
    }

    @Test
    void aHardLinkToANameWithDotDotIsMissingEvenWhenTheTarHoldsThatName() {
        // Found by PathResolverFuzzTest: the tar's own "../outside" entry was the hard link's contents.
        MergedFileSystem fs = new MergedFileSystem();
        fs.apply(0, file("../outside"));
        fs.apply(0, hardlink("hard", "../outside"));
        fs.apply(0, hardlink("gone", "../../etc/shadow"));
        for (boolean singleLayer : new boolean[] {true, false}) {
            PathResolver r = new PathResolver(fs, singleLayer);
            assertThat(r.resolve("hard", true))
                    .isInstanceOfSatisfying(
                            PathResolver.Missing.class,
                            m -> assertThat(m.existingParent()).isEmpty());
            assertThat(r.resolve("gone", true))
                    .isInstanceOfSatisfying(
                            PathResolver.Missing.class,
                            m -> assertThat(m.existingParent()).isEmpty());
        }
    }

    @Test
    void aLinkInTheMiddleOfThePathIsFollowedToo() {
        PathResolver r = oneLayer(file("usr/lib/x.so"), link("lib", "usr/lib"));
        assertThat(((PathResolver.Found) r.resolve("lib/x.so", true)).path()).isEqualTo("usr/lib/x.so");
    }

    @Test
    void fortyLinksAreFollowedAndTheFortyFirstIsTooMany() {
        LayerEntry[] entries = new LayerEntry[42];
        for (int i = 0; i < 41; i++) {
            entries[i] = link("l" + i, "l" + (i + 1));
        }
        entries[41] = file("l41");
        PathResolver r = oneLayer(entries);
        assertThat(r.resolve("l1", true)).isInstanceOf(PathResolver.Found.class);
        assertThat(r.resolve("l0", true)).isInstanceOf(PathResolver.TooManyLinks.class);
        assertThat(oneLayer(link("a", "b"), link("b", "a")).resolve("a", true))
                .isInstanceOf(PathResolver.TooManyLinks.class);
    }

    @Test
    void aHardLinkResolvesToItsTargetAndInOneLayerAMissingTargetNamesTheLink() {
        PathResolver r = oneLayer(file("bin/a"), hardlink("bin/b", "bin/a"), hardlink("bin/c", "bin/gone"));
        assertThat(((PathResolver.Found) r.resolve("bin/b", true)).contentPath())
                .isEqualTo("bin/a");
        assertThat(r.resolve("bin/c", true))
                .isInstanceOfSatisfying(
                        PathResolver.Missing.class, m -> assertThat(m.link()).isEqualTo("bin/c"));
    }

    @Test
    void inTheMergedViewAHardLinkToAFileAHigherLayerReplacedKeepsItsOwnLayersContents() {
        MergedFileSystem fs = new MergedFileSystem();
        fs.apply(0, file("bin/a"));
        fs.apply(0, hardlink("bin/b", "bin/a"));
        fs.apply(1, file("bin/a"));
        PathResolver.Found found = (PathResolver.Found) new PathResolver(fs, false).resolve("bin/b", true);
        assertThat(found.layer()).isZero();
        assertThat(found.contentPath()).isEqualTo("bin/a");
        assertThat(found.typeKnown()).isFalse();
    }

    @Test
    void missingPathsNameTheDeepestExistingDirectoryAndDirectoriesWithoutEntriesExist() {
        PathResolver r = oneLayer(file("usr/share/doc/x"));
        assertThat(r.resolve("usr/share", true)).isInstanceOf(PathResolver.Directory.class);
        assertThat(r.resolve("usr/share/nope/y", true)).isInstanceOfSatisfying(PathResolver.Missing.class, m -> {
            assertThat(m.path()).isEqualTo("usr/share/nope/y");
            assertThat(m.existingParent()).isEqualTo("usr/share");
            assertThat(m.link()).isNull();
        });
        assertThat(r.resolve("usr/share/doc/x/y", true)).isInstanceOf(PathResolver.NotADirectory.class);
    }

    @Test
    void withoutFollowingALinkAtTheEndIsReportedAsOne() {
        PathResolver r = oneLayer(file("a"), link("b", "a"));
        assertThat(r.resolve("b", false)).isInstanceOf(PathResolver.Link.class);
        assertThat(r.resolve("b", true)).isInstanceOf(PathResolver.Found.class);
    }
}
