package dev.regx.cli;

import dev.regx.save.SaveJob;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar for one download (bytes of the total, speed, ETA). Only ever created when stderr
 * is a terminal or the user asked with {@code --progress=always}: off a terminal its {@code \r} frames
 * would fill CI logs. The bar's console consumer writes to the process's real stderr.
 */
final class ProgressBarReporter implements SaveJob.LayerProgress {
    private final String name;
    private ProgressBar bar;

    ProgressBarReporter(String name) {
        this.name = name;
    }

    @Override
    public synchronized void started(long total, long alreadyHeld) {
        if (bar == null) {
            // The unit follows the size, so a 4 KiB layer does not read "0/0MiB".
            boolean small = total < (1 << 20);
            bar = new ProgressBarBuilder()
                    .setTaskName(name)
                    .setInitialMax(total)
                    .setUnit(small ? "KiB" : "MiB", small ? 1 << 10 : 1 << 20)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK)
                    .showSpeed()
                    .startsFrom(alreadyHeld, Duration.ZERO)
                    .setUpdateIntervalMillis(200)
                    .build();
        }
    }

    @Override
    public synchronized void advanced(long bytes) {
        if (bar != null) {
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
            bar.setExtraMessage("retrying");
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
