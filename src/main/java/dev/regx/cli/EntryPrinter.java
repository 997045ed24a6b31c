package dev.regx.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.regx.layer.LayerEntry;
import dev.regx.layer.ModeString;
import dev.regx.layer.TarVerboseLine;
import dev.regx.registry.JsonDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * Prints {@code regx ls} entries: {@code tar tv} lines (with the layer index in front for the merged view),
 * or one JSON object per line.
 */
final class EntryPrinter {
    private final Stdout stdout;
    private final PrintWriter out;
    private final boolean json;
    private final TarVerboseLine tar;
    private JsonGenerator generator;

    EntryPrinter(Stdout stdout, boolean json, boolean humanSizes) {
        this.stdout = stdout;
        this.out = stdout.text();
        this.json = json;
        this.tar = new TarVerboseLine(humanSizes);
    }

    /**
     * Prints one entry.
     *
     * @throws CommandFailure once writing stdout has failed, a reader that left ({@code regx ls IMAGE 0 |
     *     head}) or a full disk alike (see {@link Stdout#checkWritten()}): the listing of a large layer would
     *     otherwise go on downloading and reading it to the end for nobody
     */
    void print(LayerEntry entry, int layerIndex, boolean showLayer) {
        stdout.checkWritten();
        if (json) {
            printJson(entry, layerIndex);
        } else if (showLayer) {
            out.print(layerIndex);
            out.print(layerIndex < 10 ? "  " : " ");
            out.println(tar.format(entry));
        } else {
            out.println(tar.format(entry));
        }
    }

    private void printJson(LayerEntry e, int layerIndex) {
        try {
            JsonGenerator g = generator();
            g.writeStartObject();
            g.writeStringField("path", e.path());
            g.writeStringField("type", e.type().name().toLowerCase(Locale.ROOT).replace('_', '-'));
            g.writeStringField("mode", String.format("%04o", e.mode()));
            g.writeStringField("modeString", ModeString.of(e));
            g.writeNumberField("uid", e.uid());
            g.writeNumberField("gid", e.gid());
            g.writeStringField("uname", e.uname());
            g.writeStringField("gname", e.gname());
            g.writeNumberField("size", e.size());
            g.writeStringField("mtime", e.mtime().toString());
            g.writeStringField("link", e.linkTarget().isEmpty() ? null : e.linkTarget());
            if (e.type() == dev.regx.layer.EntryType.CHAR_DEVICE || e.type() == dev.regx.layer.EntryType.BLOCK_DEVICE) {
                g.writeNumberField("devMajor", e.devMajor());
                g.writeNumberField("devMinor", e.devMinor());
            }
            g.writeStringField(
                    "whiteout",
                    switch (e.whiteout()) {
                        case NONE -> null;
                        case DELETION -> "deletion";
                        case OPAQUE -> "opaque";
                    });
            g.writeStringField("whiteoutTarget", e.whiteoutTarget().orElse(null));
            g.writeNumberField("layer", layerIndex);
            g.writeEndObject();
            g.flush();
            out.println();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private JsonGenerator generator() throws IOException {
        if (generator == null) {
            generator = JsonDocument.factory().createGenerator(out);
            generator.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            // Its flush after each entry only hands the entry to stdout's buffer: passed on, it made one write
            // call per line, half a million for a large layer.
            generator.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM);
            generator.setCharacterEscapes(new LoneSurrogateEscapes());
            // Objects are separated by our own newlines, not the generator's default space.
            generator.setPrettyPrinter(new com.fasterxml.jackson.core.util.MinimalPrettyPrinter(""));
        }
        return generator;
    }

    /**
     * Names that are not valid UTF-8 reach us with each bad byte as a lone surrogate (U+DC80..U+DCFF). Written
     * raw they would become '?' on output; as {@code \}{@code udcXX} escapes they stay exact, valid JSON text.
     */
    private static final class LoneSurrogateEscapes extends CharacterEscapes {
        private final int[] ascii = CharacterEscapes.standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return Character.isSurrogate((char) ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
