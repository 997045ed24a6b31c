package dev.regx.cli;

import dev.regx.registry.manifest.ImageLayer;
import dev.regx.save.SaveJob;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * The progress of {@code save --all}: one bar for all layers (their bytes, "7/60 layers", speed), drawn by
 * progressbar, while a line per layer saved is printed above it ({@link TerminalLines}). One bar whatever the
 * number of downloads at once: progressbar cannot draw several bars at a time, and rows of bars that several
 * threads redraw break as soon as one of them prints a line.
 */
final class AllLayersProgress implements AutoCloseable {
    private final ProgressBar bar;
    private final AtomicInteger done = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();

    AllLayersProgress(List<ImageLayer> layers, TerminalLines terminal) {
        long total = 0;
        for (ImageLayer layer : layers) {
            total += layer.size();
        }
        int count = layers.size();
        // The count keeps its width from "0/60" to "60/60", and with it the bar its length.
        String format = "%" + Integer.toString(count).length() + "d/" + count + " layers";
        bar = new ProgressBarBuilder()
                .setTaskName("")
                .setInitialMax(total)
                .setRenderer(BarRenderer.forBytes(
                        total, terminal.columns(), () -> String.format(format, done.get()), received::get))
                .setConsumer(terminal)
                .startsFrom(0, Duration.ZERO)
                .setUpdateIntervalMillis(200)
                .build();
    }

    /** What hears the download of {@code layer}: its bytes move the one bar. */
    SaveJob.LayerProgress layer() {
        return new Layer();
    }

    /**
     * {@code layer} is in its file: counted, and its bytes too when it was there before (nothing downloaded); the
     * bar is drawn anew at once, below the line that says so.
     */
    void saved(ImageLayer layer, boolean alreadyThere) {
        if (alreadyThere) {
            bar.stepBy(layer.size());
        }
        done.incrementAndGet();
        bar.refresh();
    }

    @Override
    public void close() {
        bar.close();
    }

    /** One layer's share of the bar: where its download stands, so that a retry or restart moves the bar back. */
    private final class Layer implements SaveJob.LayerProgress {
        private long position;

        @Override
        public synchronized void started(long total, long alreadyHeld) {
            moveTo(alreadyHeld);
        }

        @Override
        public synchronized void advanced(long bytes) {
            received.addAndGet(bytes);
            moveTo(position + bytes);
        }

        @Override
        public synchronized void retrying(long position, String reason) {
            moveTo(position);
        }

        @Override
        public synchronized void restarted() {
            moveTo(0);
        }

        private void moveTo(long newPosition) {
            bar.stepBy(newPosition - position);
            position = newPosition;
        }

        @Override
        public void close() {}
    }
}
