package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SafeTextTest {

    @Test
    void ordinaryNamesAreUnchanged() {
        assertThat(SafeText.escape("usr/share/日本語/café ok.txt")).isEqualTo("usr/share/日本語/café ok.txt");
        assertThat(SafeText.escape("emoji-\uD83D\uDE00")).isEqualTo("emoji-\uD83D\uDE00");
    }

    @Test
    void newlineCannotForgeASecondLine() {
        String escaped = SafeText.escape("a\n-rw-r--r-- root/root 0 2024-01-01 00:00 /etc/forged");

        assertThat(escaped).doesNotContain("\n").startsWith("a\\n-rw-r--r--");
    }

    @Test
    void escapeCannotStartATerminalSequence() {
        String escaped = SafeText.escape("x\u001b[2J\u001b]0;title\u0007");

        assertThat(escaped).doesNotContain("\u001b").isEqualTo("x\\033[2J\\033]0;title\\a");
    }

    @Test
    void controlCharactersUseGnuEscapeStyle() {
        assertThat(SafeText.escape("\t\r\b\f\u000b\u0000\u0001\u007f\\"))
                .isEqualTo("\\t\\r\\b\\f\\v\\000\\001\\177\\\\");
    }

    @Test
    void c1ControlsPrintAsTheOctalOfTheirUtf8Bytes() {
        assertThat(SafeText.escape("a\u0085b\u009bc")).isEqualTo("a\\302\\205b\\302\\233c");
    }

    @Test
    void bytesThatWereNotUtf8PrintAsOctal() {
        String name = EscapedUtf8.decode(new byte[] {'c', 'a', 'f', (byte) 0xe9, (byte) 0xff});

        assertThat(SafeText.escape(name)).isEqualTo("caf\\351\\377");
    }

    @Test
    void escapedUtf8RoundTripsArbitraryBytes() {
        byte[] bytes = new byte[256];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        byte[] mixed = "ok-日本-".getBytes(java.nio.charset.StandardCharsets.UTF_8);

        assertThat(EscapedUtf8.encode(EscapedUtf8.decode(bytes))).isEqualTo(bytes);
        assertThat(EscapedUtf8.decode(mixed)).isEqualTo("ok-日本-");
        assertThat(EscapedUtf8.encode(EscapedUtf8.decode(new byte[] {(byte) 0xe6, (byte) 0x97})))
                .as("a UTF-8 sequence cut short")
                .containsExactly(0xe6, 0x97);
    }

    @Test
    void bidiOverridesAndZeroWidthCharactersAreEscapedSoANameShowsAsItIs() {
        assertThat(SafeText.escape("usr/bin/\u202etxt.exe")).isEqualTo("usr/bin/\\342\\200\\256txt.exe");
        assertThat(SafeText.escape("a\u200bb\u2066c\u2029")).doesNotContain("\u200b", "\u2066", "\u2029");
        assertThat(SafeText.escape("caf\u00e9 \u65e5\u672c")).isEqualTo("caf\u00e9 \u65e5\u672c");
    }

    @Test
    void everyFormatCharacterIsEscapedNotOnlyTheBidiOnes() {
        // Found by SafeTextFuzzTest: the soft hyphen and the tag characters hide text as well as U+200B does.
        assertThat(SafeText.escape("pass\u00adwd")).isEqualTo("pass\\302\\255wd");
        assertThat(SafeText.escape("a\udb40\udc41b")).isEqualTo("a\\363\\240\\201\\201b");
    }
}
