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
 */
final class LayersTable {
    private static final String[] HEADERS = {"IDX", "DIGEST", "SIZE", "MEDIA TYPE", "CREATED BY"};
    private final boolean exactBytes;
    private final OptionalInt width;

    LayersTable(boolean exactBytes, OptionalInt terminalWidth) {
        this.exactBytes = exactBytes;
        this.width = terminalWidth;
    }

    void print(ResolvedImage image, PrintWriter out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADERS);
        for (ImageLayer layer : image.layers()) {
            rows.add(new String[] {Integer.toString(layer.index()), layer.digest(), size(layer.size()),
                    MediaTypes.shortForm(layer.mediaType()), SafeText.escape(layer.createdBy().orElse(""))});
        }
        int[] widths = new int[HEADERS.length - 1];
        for (String[] row : rows) {
            for (int c = 0; c < widths.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < widths.length; c++) {
                String cell = row[c];
                // Numbers read best right-aligned; the index and size columns are numbers.
                boolean right = c == 0 || c == 2;
                line.append(right ? " ".repeat(widths[c] - cell.length()) + cell : cell + " ".repeat(widths[c] - cell.length()));
                line.append("  ");
            }
            line.append(row[widths.length]);
            out.println(fit(line.toString().stripTrailing()));
        }
        int n = image.layers().size();
        out.println("total " + n + (n == 1 ? " layer, " : " layers, ") + size(image.totalSize()));
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
