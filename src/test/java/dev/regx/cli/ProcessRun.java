package dev.regx.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs regx in a child JVM, as a shell would: its own working directory, real stdout bytes, real exit
 * code. For what an in-process run cannot show (the current directory, binary stdout, a full disk, a
 * closed pipe).
 */
record ProcessRun(int exitCode, byte[] out, String err) {

    static ProcessRun run(Path workingDirectory, Path dockerConfig, File stdoutTo, String... args)
            throws IOException, InterruptedException {
        return run(List.of(), workingDirectory, dockerConfig, stdoutTo, args);
    }

    /** As {@link #run}, the JVM started through {@code prefix} (e.g. {@code prlimit --fsize=N --}). */
    static ProcessRun run(List<String> prefix, Path workingDirectory, Path dockerConfig, File stdoutTo, String... args)
            throws IOException, InterruptedException {
        return run(prefix, List.of(), workingDirectory, dockerConfig, stdoutTo, false, args);
    }

    /** As {@link #run}, the child JVM given {@code jvmOptions} (e.g. {@code -Djdk.net.hosts.file=FILE}). */
    static ProcessRun runWithJvmOptions(
            List<String> jvmOptions, Path workingDirectory, Path dockerConfig, String... args)
            throws IOException, InterruptedException {
        return run(List.of(), jvmOptions, workingDirectory, dockerConfig, null, false, args);
    }

    /**
     * As {@link #run}, stdout a pipe whose reader has gone before regx writes (as {@code regx ... | true}
     * would be): the end this JVM reads is closed as soon as the child starts, long before a JVM has started
     * and reached a registry. {@link #out()} is then empty.
     */
    static ProcessRun runWithStdoutReaderGone(Path workingDirectory, Path dockerConfig, String... args)
            throws IOException, InterruptedException {
        return run(List.of(), List.of(), workingDirectory, dockerConfig, null, true, args);
    }

    private static ProcessRun run(
            List<String> prefix,
            List<String> jvmOptions,
            Path workingDirectory,
            Path dockerConfig,
            File stdoutTo,
            boolean readerGone,
            String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(prefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(
                List.of("-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDirectory.toFile());
        Map<String, String> env = pb.environment();
        env.put("DOCKER_CONFIG", dockerConfig.toString());
        env.put("HOME", dockerConfig.toString());
        if (stdoutTo != null) {
            pb.redirectOutput(stdoutTo);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        if (readerGone) {
            p.getInputStream().close();
        }
        byte[][] out = new byte[1][];
        Thread reader = new Thread(() -> {
            try {
                out[0] = readerGone ? new byte[0] : p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = new byte[0];
            }
        });
        reader.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("regx " + String.join(" ", args) + " did not finish in 60 s");
        }
        reader.join();
        return new ProcessRun(p.exitValue(), out[0], err);
    }

    String outText() {
        return new String(out, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + (out.length > 2000 ? out.length + " bytes" : outText())
                + "--- stderr\n" + err;
    }
}
