package dev.regx.cli;

import dev.regx.save.SaveJob;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * A terminal progress bar for one download (name, bytes of the total, elapsed time and ETA, speed), drawn by
 * progressbar in a layout that holds still ({@link BarRenderer}) on {@link TerminalLines}. Only ever created when
 * stderr is a terminal or the user asked with {@code --progress=always}: off a terminal its {@code \r} frames
 * would fill CI logs.
 */
final class ProgressBarReporter implements SaveJob.LayerProgress {
    private final String name;
    private final TerminalLines terminal;
    private final AtomicLong received = new AtomicLong();
    private ProgressBar bar;
    private BarRenderer renderer;

    ProgressBarReporter(String name, TerminalLines terminal) {
        this.name = name;
        this.terminal = terminal;
    }

    @Override
    public synchronized void started(long total, long alreadyHeld) {
        if (bar == null) {
            String shown = name;
            renderer = BarRenderer.forBytes(total, terminal.columns(), () -> shown, received::get);
            bar = new ProgressBarBuilder()
                    .setTaskName("")
                    .setInitialMax(total)
                    .setRenderer(renderer)
                    .setConsumer(terminal)
                    .startsFrom(alreadyHeld, Duration.ZERO)
                    .setUpdateIntervalMillis(200)
                    .build();
        }
    }

    @Override
    public synchronized void advanced(long bytes) {
        received.addAndGet(bytes);
        if (bar != null) {
            renderer.retrying(false);
            bar.stepBy(bytes);
        }
    }

    @Override
    public synchronized void restarted() {
        if (bar != null) {
            bar.stepTo(0);
        }
    }

    @Override
    public synchronized void retrying(long position, String reason) {
        if (bar != null) {
            renderer.retrying(true);
            bar.stepTo(position);
        }
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
