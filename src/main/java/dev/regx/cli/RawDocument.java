package dev.regx.cli;

import java.io.IOException;

/** A registry document on stdout: its bytes exactly as served (so they hash to their digest), or indented. */
final class RawDocument {
    private RawDocument() {}

    static void print(byte[] bytes, String what, boolean pretty, Stdout stdout) throws IOException {
        if (pretty) {
            PrettyJson.write(bytes, what, stdout.text());
        } else {
            // Nothing added, not even a final newline: `regx manifest IMG | sha256sum` gives the digest.
            stdout.bytes().write(bytes);
        }
    }
}
