package dev.regx.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.regx.files.PathResolver.Directory;
import dev.regx.files.PathResolver.Found;
import dev.regx.files.PathResolver.Link;
import dev.regx.files.PathResolver.Missing;
import dev.regx.files.PathResolver.NotADirectory;
import dev.regx.files.PathResolver.Resolution;
import dev.regx.files.PathResolver.TooManyLinks;
import dev.regx.layer.LayerPath;
import dev.regx.layer.LayerReadException;
import dev.regx.layer.LayerReader;
import dev.regx.layer.MergedFileSystem;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Fuzzes the path resolution {@code cat} and {@code extract} use, over the tree of an arbitrary layer blob (plain
 * tar seeds mutate best): every entry's path, its link target, and both taken absolute and with {@code ..} in
 * front, resolved with links followed and not. Whatever the links say, what a PATH resolves to stays inside the
 * image: a path in the image's one spelling, with no {@code ..}.
 */
class PathResolverFuzzTest {

    @FuzzTest
    void resolutionNeverLeavesTheImage(byte[] blob) throws IOException {
        MergedFileSystem tree = new MergedFileSystem();
        List<String> paths = new ArrayList<>(List.of("", "/", "..", "../../etc/passwd", "/etc/passwd"));
        try {
            LayerReader.read(new ByteArrayInputStream(blob), null, entry -> {
                tree.apply(0, entry);
                if (paths.size() < 200) {
                    paths.add(entry.path());
                    paths.add("../" + entry.path());
                    paths.add(entry.linkTarget());
                    paths.add("/" + entry.linkTarget());
                }
            });
        } catch (LayerReadException e) {
            // corrupt past some entry: resolve in what was read
        }
        for (boolean singleLayer : new boolean[] {true, false}) {
            PathResolver resolver = new PathResolver(tree, singleLayer);
            for (String path : paths) {
                staysInside(path, resolver.resolve(path, true));
                staysInside(path, resolver.resolve(path, false));
            }
        }
    }

    private static void staysInside(String path, Resolution r) {
        if (r instanceof Found f) {
            inside(f.path(), path, r);
            inside(f.contentPath(), path, r);
        } else if (r instanceof Directory d) {
            inside(d.path(), path, r);
        } else if (r instanceof Missing m) {
            inside(m.existingParent(), path, r);
        } else if (r instanceof Link l) {
            inside(l.path(), path, r);
        } else if (r instanceof TooManyLinks t) {
            inside(t.path(), path, r);
        } else if (r instanceof NotADirectory n) {
            inside(n.path(), path, r);
        } else {
            throw new AssertionError("unknown resolution " + r);
        }
    }

    private static void inside(String resolved, String path, Resolution r) {
        assertThat(resolved).as("%s gave %s", path, r).isEqualTo(LayerPath.normalize(resolved));
        assertThat(("/" + resolved + "/")).as("%s gave %s", path, r).doesNotContain("/../");
    }
}
