package dev.regx.cli;

import dev.regx.layer.SafeText;
import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.manifest.MediaTypes;
import dev.regx.registry.manifest.ResolvedImage;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The text table of {@code regx layers}. Columns are padded to their widest cell; the command column
 * is last and is cut to the terminal's width only when printing to a terminal, so pipes get it whole.
 * Commands are escaped: a {@code RUN} with a here-document must not break the one-row-per-layer rule.
 *
 * <p>A whole digest is 71 characters: on a terminal of 80 columns it would leave no room for the size, the
 * media type or the command. A terminal that cannot show whole digests next to {@value #MIN_COMMAND}
 * characters of command gets them shortened to 12 hex digits, as {@code docker history} shows image ids;
 * pipes and files always get them whole.
 */
final class LayersTable {
    private static final String[] HEADERS = {"IDX", "DIGEST", "SIZE", "MEDIA TYPE", "CREATED BY"};
    /** The narrowest command column worth keeping whole digests for. */
    static final int MIN_COMMAND = 20;

    private static final int SHORT_HEX = 12;
    private final boolean exactBytes;
    private final OptionalInt width;

    LayersTable(boolean exactBytes, OptionalInt terminalWidth) {
        this.exactBytes = exactBytes;
        this.width = terminalWidth;
    }

    void print(ResolvedImage image, PrintWriter out) {
        print(image.layers(), image.totalSize(), out);
    }

    void print(List<ImageLayer> layers, long totalSize, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (ImageLayer layer : layers) {
            rows.add(new String[] {
                Integer.toString(layer.index()),
                layer.digest(),
                size(layer.size()),
                SafeText.escape(MediaTypes.shortForm(layer.mediaType())),
                SafeText.escape(layer.createdBy().orElse(""))
            });
        }
        int[] widths = widths(rows);
        if (width.isPresent() && fixedWidth(widths) + MIN_COMMAND > width.getAsInt()) {
            for (String[] row : rows.subList(1, rows.size())) {
                row[1] = shortDigest(row[1]);
            }
            widths = widths(rows);
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < widths.length; c++) {
                String cell = row[c];
                // Numbers read best right-aligned; the index and size columns are numbers.
                boolean right = c == 0 || c == 2;
                line.append(
                        right
                                ? " ".repeat(widths[c] - cell.length()) + cell
                                : cell + " ".repeat(widths[c] - cell.length()));
                line.append("  ");
            }
            line.append(row[widths.length]);
            out.println(fit(line.toString().stripTrailing()));
        }
        int n = layers.size();
        out.println(
                "total " + n + (n == 1 ? " layer, " : " layers, ") + size(totalSize) + (exactBytes ? " bytes" : ""));
    }

    /** The widths of all columns but the last, the widest cell of each. */
    private static int[] widths(List<String[]> rows) {
        int[] widths = new int[HEADERS.length - 1];
        for (String[] row : rows) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        return widths;
    }

    /** Where the command column starts: the other columns and the two spaces after each. */
    private static int fixedWidth(int[] widths) {
        int total = 0;
        for (int w : widths) {
            total += w + 2;
        }
        return total;
    }

    /** {@code sha256:} and the first 12 hex digits; anything not of the form ALGORITHM:HEX stays whole. */
    private static String shortDigest(String digest) {
        int colon = digest.indexOf(':');
        return colon > 0 && digest.length() > colon + 1 + SHORT_HEX
                ? digest.substring(0, colon + 1 + SHORT_HEX)
                : digest;
    }

    private String size(long bytes) {
        return exactBytes ? Long.toString(bytes) : ByteSize.iec(bytes);
    }

    private String fit(String line) {
        if (width.isEmpty() || line.length() <= width.getAsInt()) {
            return line;
        }
        int w = Math.max(1, width.getAsInt());
        return line.substring(0, w - 1) + "…";
    }
}
