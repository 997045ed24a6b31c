package dev.regx.layer;

import java.nio.charset.StandardCharsets;

/**
 * Makes names from a layer safe to print on a terminal. A layer is untrusted input: a file name holding a newline
 * could forge a listing line, and one holding ESC could drive the terminal. This renders them as GNU tar's
 * {@code --quoting-style=escape} does: {@code \a \b \t \n \v \f \r} as C escapes, every other C0 control, DEL and
 * C1 control (U+0080..U+009F, as the octal of its UTF-8 bytes) as {@code \ooo}, and backslash as {@code \\}, so
 * the output is unambiguous. Bytes that were not valid UTF-8 ({@link EscapedUtf8}'s lone surrogates) print as
 * the octal of the original byte. Characters that reorder or hide text (Unicode's format characters: bidi
 * controls, zero-width ones, the soft hyphen; line and paragraph separators) print as the octal of their UTF-8
 * bytes too. Other Unicode prints as itself.
 */
public final class SafeText {
    private SafeText() {}

    public static String escape(String text) {
        if (isPlain(text)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            appendEscaped(out, c);
        }
        return out.toString();
    }

    private static void appendEscaped(StringBuilder out, int c) {
        switch (c) {
            case 0x07 -> out.append("\\a");
            case '\b' -> out.append("\\b");
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case 0x0b -> out.append("\\v");
            case '\f' -> out.append("\\f");
            case '\r' -> out.append("\\r");
            case '\\' -> out.append("\\\\");
            default -> {
                int escapedByte = EscapedUtf8.escapedByte(c);
                if (escapedByte >= 0) {
                    octal(out, escapedByte);
                } else if (c < 0x20 || c == 0x7f) {
                    octal(out, c);
                } else if (isUnprintable(c)) {
                    for (byte b : new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8)) {
                        octal(out, b & 0xff);
                    }
                } else {
                    out.appendCodePoint(c);
                }
            }
        }
    }

    /**
     * C1 controls; surrogates that are not escaped bytes (unpaired halves print as garbage); and the invisible
     * characters that reorder or hide text (bidi embeddings, overrides and isolates, zero-width spaces and
     * joiners, directional marks, line and paragraph separators): {@code usr/bin/\u202etxt.exe} would
     * display as {@code usr/bin/exe.txt}.
     */
    private static boolean isUnprintable(int c) {
        return (c >= 0x80 && c <= 0x9f)
                || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE)
                || isInvisible(c);
    }

    /**
     * Unicode's format characters (bidi controls, zero-width ones, the soft hyphen, the invisible tag characters:
     * general category Cf, whose whole point is not to show) and the line and paragraph separators.
     */
    private static boolean isInvisible(int c) {
        return c >= 0xad && (c == 0x2028 || c == 0x2029 || Character.getType(c) == Character.FORMAT);
    }

    private static boolean isPlain(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == '\\' || (c >= 0x7f && c <= 0x9f) || Character.isSurrogate(c) || isInvisible(c)) {
                return false;
            }
        }
        return true;
    }

    private static void octal(StringBuilder out, int value) {
        out.append('\\')
                .append((char) ('0' + ((value >> 6) & 7)))
                .append((char) ('0' + ((value >> 3) & 7)))
                .append((char) ('0' + (value & 7)));
    }
}
