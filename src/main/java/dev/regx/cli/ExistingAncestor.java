package dev.regx.cli;

import dev.regx.layer.LayerPath;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The deepest directory above a PATH that is not there which a listing shows to exist: what {@code ls} suggests
 * listing instead. Its parent may be missing too ({@code usr/nope/deeper}), and a suggestion to list that would
 * fail in turn.
 */
final class ExistingAncestor {
    /** PATH's directories from the root ("") down to its parent. */
    private final List<String> ancestors = new ArrayList<>();

    private int deepest;

    /** @param path normalised ({@link LayerPath#normalize}), not the root */
    ExistingAncestor(String path) {
        for (String dir = LayerPath.parent(path); !dir.isEmpty(); dir = LayerPath.parent(dir)) {
            ancestors.add(0, dir);
        }
        ancestors.add(0, "");
    }

    /** An entry of the listing at {@code entryPath} (normalised): every directory it lies in exists. */
    void saw(String entryPath) {
        for (int i = ancestors.size() - 1; i > deepest; i--) {
            if (LayerPath.isSelfOrBelow(entryPath, ancestors.get(i))) {
                deepest = i;
                return;
            }
        }
    }

    /** The deepest of PATH's directories that {@code exists}, the root when none does. */
    static String deepest(String path, Predicate<String> exists) {
        ExistingAncestor ancestor = new ExistingAncestor(path);
        for (int i = ancestor.ancestors.size() - 1; i > 0; i--) {
            if (exists.test(ancestor.ancestors.get(i))) {
                return ancestor.ancestors.get(i);
            }
        }
        return "";
    }

    /** The deepest directory seen so far ("" for the root). */
    String path() {
        return ancestors.get(deepest);
    }
}
