package dev.regx.cli;

import dev.regx.registry.manifest.ImageLayer;
import dev.regx.save.LayerSaver;
import dev.regx.save.PartFileSink;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code regx save} says when Ctrl-C (or SIGTERM) ends it while layers download: the JVM then runs its
 * shutdown hooks and exits 130 (143), and without this the user would be left guessing what was kept. Once, on
 * stderr: how much each {@code .part} holds and that the same command resumes it; and on stdout, as a finished
 * run would, the layers already saved, so that a script still learns which files exist.
 */
final class SaveInterruption {
    private final boolean all;
    private final PrintWriter out;
    private final PrintWriter err;
    private final TerminalLines terminal;
    private final Thread hook = new Thread(this::report, "regx-interrupted");
    /** The files of the layers begun and of those saved, by layer index. */
    private final Map<Integer, Path> begun = new TreeMap<>();

    private final Map<Integer, Path> saved = new TreeMap<>();

    /** @param terminal the progress bar's stderr, to be left clean before the lines; null without a bar */
    SaveInterruption(boolean all, PrintWriter out, PrintWriter err, TerminalLines terminal) {
        this.all = all;
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    void arm() {
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /**
     * The save ended on its own: nothing to say here. When the JVM is shutting down already, the hook has the last
     * word, and this thread must print nothing of its own: it waits for the JVM to halt.
     */
    void disarm() throws InterruptedException {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            synchronized (this) {
                while (true) {
                    wait();
                }
            }
        }
    }

    synchronized void started(ImageLayer layer, Path target) {
        begun.put(layer.index(), target);
    }

    synchronized void saved(ImageLayer layer, Path target, LayerSaver.Outcome outcome) {
        if (outcome == LayerSaver.Outcome.SAVED || outcome == LayerSaver.Outcome.ALREADY_PRESENT) {
            saved.put(layer.index(), target);
        }
    }

    private synchronized void report() {
        if (terminal != null) {
            terminal.finish();
        }
        for (Path target : saved.values()) {
            out.println(target);
        }
        out.flush();
        List<String> kept = new ArrayList<>();
        for (Map.Entry<Integer, Path> layer : begun.entrySet()) {
            if (!saved.containsKey(layer.getKey())) {
                Path part = PartFileSink.partOf(layer.getValue());
                long size = sizeOf(part);
                if (size > 0) {
                    kept.add(ByteSize.iec(size) + (kept.isEmpty() ? " kept in " : " in ") + part);
                }
            }
        }
        String again = all ? "the same command to save the other layers" : "the same command to save the layer";
        err.println(
                kept.isEmpty()
                        ? "regx: interrupted; run " + again
                        : "regx: interrupted; " + String.join(", ", kept) + "; run the same command to resume");
        err.flush();
    }

    /** The size of a {@code .part} of regular file, 0 when there is none. */
    private static long sizeOf(Path part) {
        try {
            BasicFileAttributes attributes =
                    Files.readAttributes(part, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isRegularFile() ? attributes.size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
