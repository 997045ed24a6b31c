package dev.regx.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Runs {@code regx ARGS} in-process the way a shell would, with captured stdout and stderr and an
 * environment of the test's choosing (by default an empty Docker config, so the developer's own
 * credentials never leak into a test).
 */
record CommandRun(int exitCode, String out, String err) {

    static CommandRun run(Path dockerConfigDir, String... args) {
        return run(dockerConfigDir, new ByteArrayOutputStream(), args);
    }

    static CommandRun run(Map<String, String> env, String... args) {
        return run(env, new ByteArrayOutputStream(), args);
    }

    /**
     * As {@link #run(Path, String...)}, stdout going to {@code out}, a {@link FailingStdout} (a full disk or
     * a reader that left; {@link #out()} is then what it took) or a ByteArrayOutputStream.
     */
    static CommandRun run(Path dockerConfigDir, OutputStream out, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_CONFIG", dockerConfigDir.toString());
        env.put("HOME", dockerConfigDir.toString());
        env.put("PATH", System.getenv("PATH"));
        return run(env, out, args);
    }

    private static CommandRun run(Map<String, String> env, OutputStream out, String... args) {
        StringWriter err = new StringWriter();
        // As Main does: a subcommand runs as a command line of its own.
        int code = RegxCommand.execute(env::get, out, new PrintWriter(err, true), args);
        String text = out instanceof FailingStdout failing
                ? failing.kept()
                : ((ByteArrayOutputStream) out).toString(StandardCharsets.UTF_8);
        return new CommandRun(code, text, err.toString());
    }

    /** stderr as lines, for "exactly one line" assertions. */
    String[] errLines() {
        return err.isEmpty() ? new String[0] : err.split("\n");
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
