package dev.regx.cli;

import java.nio.file.Path;
import java.util.function.Function;

/** Where regx keeps temporary files: {@code $TMPDIR} as other Unix tools read it, else the JVM's default. */
final class TemporaryFiles {
    private TemporaryFiles() {}

    static Path directory(Function<String, String> env) {
        String tmpdir = env.apply("TMPDIR");
        return Path.of(tmpdir != null && !tmpdir.isEmpty() ? tmpdir : System.getProperty("java.io.tmpdir"));
    }
}
