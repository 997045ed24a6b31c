package dev.regx.layer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 that survives bytes which are not UTF-8, by the "surrogateescape" convention (Python's PEP 383): each
 * byte that is not part of a valid UTF-8 sequence becomes the lone surrogate {@code U+DC00 + byte}, which is in
 * {@code U+DC80..U+DCFF} since such bytes are {@code >= 0x80}. Lone surrogates never come out of valid UTF-8,
 * so the mapping cannot collide with a real character.
 *
 * <p>Tar names are bytes, and Linux file names need not be UTF-8. Decoding this way keeps valid names as ordinary
 * strings while a name like {@code caf\xe9} still maps back to its exact bytes ({@link #encode}), and
 * {@link SafeText} prints such a byte as {@code \351}, the way GNU tar does.
 */
public final class EscapedUtf8 {
    private static final int ESCAPE_BASE = 0xDC00;

    private EscapedUtf8() {}

    public static String decode(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) {
                decoder.flush(out);
                break;
            }
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    out.put((char) (ESCAPE_BASE + (in.get() & 0xff)));
                }
            } else {
                throw new IllegalStateException("UTF-8 never needs more chars than bytes: " + result);
            }
        }
        return out.flip().toString();
    }

    public static byte[] encode(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            i += Character.charCount(codePoint);
            int escaped = escapedByte(codePoint);
            if (escaped >= 0) {
                out.write(escaped);
            } else {
                out.writeBytes(new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /** The original byte a code point stands for, or -1 if it is an ordinary character. */
    static int escapedByte(int codePoint) {
        return codePoint >= ESCAPE_BASE + 0x80 && codePoint <= ESCAPE_BASE + 0xff ? codePoint - ESCAPE_BASE : -1;
    }
}
