package dev.regx.cli;

import dev.regx.layer.LayerPath;
import dev.regx.layer.SafeText;
import dev.regx.registry.ImageReference;
import java.util.regex.Pattern;

/**
 * The failure of {@code regx ls IMAGE [IDX] PATH} when PATH matches nothing, as {@code tar tv MEMBER} and
 * {@code ls NAME} fail: a typo must not look like an empty directory. The message names the path, where it was
 * looked for, and a command that lists the parent directory to see what is there.
 */
final class MissingPath {
    /** Characters a shell leaves alone, so a suggested command can be pasted as is. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");

    private MissingPath() {}

    /**
     * @param layer the layer listed, or null for the merged view
     * @param path PATH normalised ({@link LayerPath#normalize}), never the root, which always exists
     * @param parent the directory to suggest listing: PATH's parent, or the deepest directory above it that exists
     */
    static CommandFailure failure(ImageReference image, Integer layer, String path, String parent) {
        String where = layer == null ? "the merged view of " + image : "layer " + layer + " of " + image;
        StringBuilder suggestion = new StringBuilder("regx ls ").append(image);
        if (layer != null) {
            suggestion.append(' ').append(layer);
        }
        // With its trailing slash a parent named like a number ("2/") is still read as PATH, not IDX.
        suggestion.append(' ').append(shellWord(parent + "/"));
        String hint = layer == null ? " (perhaps deleted by a later layer; IDX lists a single layer)" : "";
        // The parent may be missing too: then the one suggested is the deepest directory above PATH that exists.
        String what = parent.equals(LayerPath.parent(path))
                ? "its parent directory holds"
                : (parent.isEmpty() ? "/" : parent + "/") + ", the nearest directory above it that exists, holds";
        return new CommandFailure(
                ExitCode.NOT_FOUND,
                SafeText.escape(path) + ": no such file or directory in " + where + hint + "; see what "
                        + SafeText.escape(what) + " with: " + SafeText.escape(suggestion.toString()));
    }

    /** {@code word} as one shell word: as is when that is safe, else in single quotes. */
    private static String shellWord(String word) {
        return SHELL_SAFE.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
