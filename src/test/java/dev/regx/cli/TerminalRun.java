package dev.regx.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs regx in a child JVM on a pseudo-terminal, as a user at a terminal runs it: stdout and stderr both the
 * terminal (util-linux {@code script} makes it), {@code COLUMNS} wide. {@link #output()} is what the terminal was
 * sent, stdout and stderr interleaved as they were written, {@code \r} and escape sequences included;
 * {@link #screen()} what it then shows.
 */
record TerminalRun(int exitCode, String output) {
    private static final Path SCRIPT = Path.of("/usr/bin/script");

    /** Runs {@code regx args} in {@code workingDirectory}, Docker config and home in {@code home}. */
    static TerminalRun run(int columns, Path workingDirectory, Path home, String... args)
            throws IOException, InterruptedException {
        assumeTrue(Files.isExecutable(SCRIPT), "util-linux script is needed for a pseudo-terminal");
        StringBuilder command = new StringBuilder(quote(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString()))
                .append(" -XX:TieredStopAtLevel=1 ")
                .append(Main.class.getName());
        for (String arg : args) {
            command.append(' ').append(quote(arg));
        }
        Path typescript = Files.createTempFile(workingDirectory, "typescript", ".txt");
        List<String> scriptCommand =
                new ArrayList<>(List.of(SCRIPT.toString(), "-q", "-e", "-c", command.toString(), "/dev/null"));
        ProcessBuilder pb = new ProcessBuilder(scriptCommand)
                .directory(workingDirectory.toFile())
                .redirectInput(new File("/dev/null"))
                .redirectOutput(typescript.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = pb.environment();
        env.put("CLASSPATH", System.getProperty("java.class.path"));
        env.put("COLUMNS", Integer.toString(columns));
        env.put("DOCKER_CONFIG", home.toString());
        env.put("HOME", home.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("regx " + String.join(" ", args) + " did not finish in 60 s");
        }
        String output = Files.readString(typescript, StandardCharsets.UTF_8);
        Files.delete(typescript);
        return new TerminalRun(p.exitValue(), output);
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /**
     * The lines the terminal shows at the end: {@code \r} returns to the line's start, {@code ESC[K} erases to its
     * end, a character overwrites the one under the cursor, {@code \n} goes to the next line. Any other escape
     * sequence (a cursor move up, say, which a correct display has no need of) is kept as text, so it shows.
     */
    List<String> screen() {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int column = 0;
        String text = output.replace("\r\n", "\n");
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                lines.add(line.toString());
                line.setLength(0);
                column = 0;
            } else if (c == '\r') {
                column = 0;
            } else if (text.startsWith("\033[K", i)) {
                line.setLength(column);
                i += 2;
            } else {
                if (column < line.length()) {
                    line.setCharAt(column, c);
                } else {
                    line.append(c);
                }
                column++;
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /** Each state a line was drawn in: the text between two {@code \r} (or line ends), erase sequences removed. */
    List<String> frames() {
        List<String> frames = new ArrayList<>();
        for (String frame : output.replace("\033[K", "").split("[\r\n]+")) {
            if (!frame.isEmpty()) {
                frames.add(frame);
            }
        }
        return frames;
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- terminal\n"
                + output.replace("\r", "\\r").replace("\033", "\\e");
    }
}
