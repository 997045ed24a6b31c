package dev.regx.files;

import dev.regx.layer.LayerPath;
import java.util.ArrayDeque;
import java.util.Deque;

/** Paths resolved by their text alone: {@code ..} removes the component before it and stops at the root. */
final class Lexical {
    private Lexical() {}

    /**
     * {@code a/./b/../c} is {@code a/c}, {@code ../../etc} is {@code etc}; the result as {@link LayerPath} spells it.
     */
    static String normalize(String path) {
        Deque<String> parts = new ArrayDeque<>();
        for (String c : path.split("/")) {
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(c);
            }
        }
        return String.join("/", parts);
    }
}
