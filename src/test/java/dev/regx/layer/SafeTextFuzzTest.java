package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the escaping of names and server text: whatever a layer or a registry sends, the escaped text holds no
 * character that drives a terminal or reorders or hides what it shows, and bytes that were not UTF-8 survive.
 */
class SafeTextFuzzTest {

    @FuzzTest
    void escapedTextHoldsNoControlOrInvisibleCharacter(byte[] name) {
        String decoded = EscapedUtf8.decode(name);
        assertThat(EscapedUtf8.encode(decoded)).isEqualTo(name);
        assertPrintable(SafeText.escape(decoded));
        assertPrintable(SafeText.escape(new String(name, java.nio.charset.StandardCharsets.UTF_16BE)));
    }

    /**
     * Fails unless every character of {@code text} prints as itself: no C0 or C1 control or DEL, no format
     * character (bidi controls, zero-width ones, soft hyphen, tags), no line or paragraph separator, no half of
     * a surrogate pair.
     */
    static void assertPrintable(String text) {
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int type = Character.getType(c);
            assertThat(type)
                    .as("U+%04X at %d of \"%s\"", c, i, text)
                    .isNotIn(
                            (int) Character.CONTROL,
                            (int) Character.FORMAT,
                            (int) Character.SURROGATE,
                            (int) Character.LINE_SEPARATOR,
                            (int) Character.PARAGRAPH_SEPARATOR);
            i += Character.charCount(c);
        }
    }
}
