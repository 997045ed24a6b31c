package dev.regx.files;

import dev.regx.layer.EntryType;
import dev.regx.layer.LayerEntry;
import dev.regx.layer.LayerPath;
import dev.regx.layer.Whiteout;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.manifest.ResolvedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code regx cat --unverified} without IDX: the merged view read from the top layer down, each PATH written as
 * soon as the topmost layer that holds it streams past (its turn come), and no layer read further once every PATH
 * is written. A layer's own entries hide what the layers below hold at their paths; a whiteout or an opaque
 * directory hides the layers below too. As with IDX, the first regular file at a PATH in a layer is its file.
 *
 * <p>Only what this walk can settle on its own is settled here: a regular file at the PATH itself. A PATH that meets
 * a link, a directory, a whiteout or no entry at all is left, with every PATH after it, to the whole-image reading
 * of {@link FileContents}, which reads every layer and says exactly what went wrong.
 */
final class TopDownCat {
    private final RegistryClient client;
    private final ResolvedImage image;
    private final List<String> paths;
    private final OutputStream out;
    private final ContentSpool.Budget budget;
    private final ContentSpool.Overflow overflow;
    /** Each PATH's file once found and held until its turn; null before, and for PATHs written at once. */
    private final ContentSpool[] found;
    /** PATHs this walk cannot settle: left to the whole-image reading. */
    private final boolean[] left;
    /** PATHs a whiteout or an opaque directory of the layer being read hides in the layers below it. */
    private final boolean[] hiddenBelow;

    private int nextToWrite;

    TopDownCat(
            RegistryClient client,
            ResolvedImage image,
            List<String> paths,
            OutputStream out,
            ContentSpool.Budget budget,
            ContentSpool.Overflow overflow) {
        this.client = client;
        this.image = image;
        this.out = out;
        this.budget = budget;
        this.overflow = overflow;
        this.paths = new ArrayList<>(paths.size());
        for (String path : paths) {
            this.paths.add(Lexical.normalize(path));
        }
        this.found = new ContentSpool[paths.size()];
        this.left = new boolean[paths.size()];
        this.hiddenBelow = new boolean[paths.size()];
    }

    /**
     * Writes the PATHs it can, in order, from the top layer down.
     *
     * @return how many PATHs, from the first, it wrote; the rest are for the whole-image reading
     */
    int write() throws IOException {
        List<ImageLayer> layers = image.layers();
        for (int i = layers.size() - 1; i >= 0 && !settled(); i--) {
            Arrays.fill(hiddenBelow, false);
            LayerBlob.read(client, image.reference(), layers.get(i), this::visit, false);
            for (int p = 0; p < paths.size(); p++) {
                if (found[p] == null && !written(p) && hiddenBelow[p]) {
                    left[p] = true; // deleted, or under an opaque directory: the whole reading says which
                }
            }
        }
        for (int p = nextToWrite; p < paths.size(); p++) {
            if (found[p] == null) {
                left[p] = true; // in no layer
            }
        }
        writeInTurn();
        out.flush();
        return nextToWrite;
    }

    /** Whether reading further can change nothing: every PATH written, or the next one left to the whole reading. */
    private boolean settled() {
        return nextToWrite == paths.size() || left[nextToWrite];
    }

    private boolean written(int p) {
        return p < nextToWrite;
    }

    /** @return whether to read on in this layer */
    private boolean visit(LayerEntry entry, InputStream content) throws IOException {
        String path = entry.path();
        Whiteout whiteout = entry.whiteout();
        if (whiteout != Whiteout.NONE) {
            String target = entry.whiteoutTarget().orElse("");
            for (int p = nextToWrite; p < paths.size(); p++) {
                String wanted = paths.get(p);
                if (whiteout == Whiteout.DELETION
                        ? LayerPath.isSelfOrBelow(wanted, target)
                        : LayerPath.isSelfOrBelow(wanted, target) && !wanted.equals(target)) {
                    hiddenBelow[p] = true;
                }
            }
            return true;
        }
        ContentSpool kept = null;
        for (int p = nextToWrite; p < paths.size(); p++) {
            if (found[p] != null || left[p]) {
                continue;
            }
            String wanted = paths.get(p);
            if (wanted.equals(path)) {
                if (entry.type() != EntryType.FILE) {
                    left[p] = true; // a link, a directory, a device: the whole reading resolves or refuses it
                } else if (p == nextToWrite && kept == null && !wantedLater(p, path)) {
                    content.transferTo(out);
                    nextToWrite++;
                    writeInTurn();
                } else {
                    if (kept == null) {
                        kept = new ContentSpool(budget, overflow);
                        kept.fill(content);
                    }
                    found[p] = kept;
                }
            } else if (LayerPath.isSelfOrBelow(wanted, path) && !entry.isDirectory()) {
                left[p] = true; // a link or a file on the way: the whole reading follows or refuses it
            }
        }
        writeInTurn();
        return !settled();
    }

    /** Whether another PATH not yet found names the same file as PATH {@code p}. */
    private boolean wantedLater(int p, String path) {
        for (int q = p + 1; q < paths.size(); q++) {
            if (found[q] == null && !left[q] && paths.get(q).equals(path)) {
                return true;
            }
        }
        return false;
    }

    private void writeInTurn() throws IOException {
        while (nextToWrite < paths.size() && found[nextToWrite] != null) {
            found[nextToWrite].writeTo(out);
            nextToWrite++;
        }
    }
}
