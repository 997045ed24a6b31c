package dev.regx.layer;

import java.nio.charset.StandardCharsets;

/**
 * A short human description of what some bytes look like, for the "not a tar archive (looks like …)" error:
 * a user who pointed regx at a config blob or an attestation wants to see "JSON", not a parse failure.
 */
final class ContentGuess {
    private ContentGuess() {}

    static String describe(byte[] head, int length) {
        if (length == 0) {
            return "an empty stream";
        }
        if (startsWith(head, length, 0x1f, 0x8b)) {
            return "gzip data";
        }
        if (startsWith(head, length, 0x28, 0xb5, 0x2f, 0xfd)) {
            return "zstd data";
        }
        if (startsWith(head, length, 'P', 'K', 3, 4)) {
            return "a zip archive";
        }
        if (startsWith(head, length, 'B', 'Z', 'h')) {
            return "bzip2 data";
        }
        if (startsWith(head, length, 0xfd, '7', 'z', 'X', 'Z', 0)) {
            return "xz data";
        }
        int first = firstNonBlank(head, length);
        if (first >= 0 && isText(head, length)) {
            char c = (char) head[first];
            if (c == '{' || c == '[') {
                return "JSON";
            }
            if (c == '<') {
                return "HTML or XML";
            }
            return "text";
        }
        return "binary data starting " + hex(head, Math.min(length, 8));
    }

    private static boolean startsWith(byte[] head, int length, int... magic) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }

    private static int firstNonBlank(byte[] head, int length) {
        for (int i = 0; i < length; i++) {
            if (!Character.isWhitespace(head[i])) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isText(byte[] head, int length) {
        String s = new String(head, 0, length, StandardCharsets.UTF_8);
        // The sample may end mid-character, so tolerate one trailing replacement character.
        long bad = s.chars()
                .filter(c -> c == 0xfffd || (c < 0x20 && c != '\n' && c != '\r' && c != '\t'))
                .count();
        return bad <= 1;
    }

    private static String hex(byte[] bytes, int length) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(String.format("%02x", bytes[i] & 0xff));
        }
        return out.toString();
    }
}
