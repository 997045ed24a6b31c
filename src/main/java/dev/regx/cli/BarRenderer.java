package dev.regx.cli;

import java.text.DecimalFormat;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import me.tongfei.progressbar.DefaultProgressBarRenderer;
import me.tongfei.progressbar.ProgressBarStyle;
import me.tongfei.progressbar.ProgressState;

/**
 * progressbar's own renderer with a layout that holds still. Its defaults make the bar change width as the text
 * around it grows (an ETA of {@code ?} that becomes {@code 0:00:03}, a speed of {@code ?MiB/s} while a whole second
 * has not passed) and cut the line when a long name does not fit. Here every field but the bar has a fixed width,
 * the speed is shown once half a second of data says what it is (blank before; at the end always), "retrying" in
 * its place while a download waits to go on, and the name is shortened with {@code …} in its middle (keeping the
 * layer index at its end) so that the line fits the terminal with a bar of at least {@link #MIN_BAR} cells. Below
 * 80 columns the ETA is left out (the elapsed time stays), to leave the name some room.
 */
final class BarRenderer extends DefaultProgressBarRenderer {
    static final int MIN_BAR = 10;
    private static final String LEFT = "▕";
    private static final String RIGHT = "▏";
    /** No colour: the escape codes would count as text where the line's width is worked out. */
    private static final ProgressBarStyle STYLE = ProgressBarStyle.builder()
            .leftBracket(LEFT)
            .rightBracket(RIGHT)
            .block('█')
            .space(' ')
            .fractionSymbols(" ▏▎▍▌▋▊▉")
            .rightSideFractionSymbol(' ')
            .build();
    /** A speed measured over less than this is mostly the connection's set-up. */
    private static final long SPEED_AFTER_MILLIS = 500;

    private static final int SPEED_DIGITS = 5;
    private static final String RETRYING = "retrying";
    static final int ETA_FROM_COLUMNS = 80;
    private static final int ETA_WIDTH = "0:00:00".length();
    /** The library's own ETA is not used: {@link #etaString} works it out from {@code received}. */
    private static final Function<ProgressState, Optional<Duration>> NO_ETA = state -> Optional.empty();

    private final String unitName;
    private final long unitSize;
    private final Supplier<String> name;
    private final LongSupplier received;
    private volatile boolean retrying;

    /**
     * @param name what the line starts with (shortened to fit), asked at every frame
     * @param received the bytes that came over the network since the bar started, which the speed and the ETA are
     *     worked out from (a resumed file's bytes or a layer already saved move the bar, not the speed)
     */
    private BarRenderer(String unitName, long unitSize, boolean eta, Supplier<String> name, LongSupplier received) {
        super(STYLE, unitName, unitSize, true, new DecimalFormat("0.0"), ChronoUnit.SECONDS, eta, NO_ETA);
        this.unitName = unitName;
        this.unitSize = unitSize;
        this.name = name;
        this.received = received;
    }

    /**
     * A renderer for {@code total} bytes on a terminal of {@code columns}: the unit is KiB below 1 MiB, so that a
     * small layer does not read "0/0MiB".
     */
    static BarRenderer forBytes(long total, int columns, Supplier<String> name, LongSupplier received) {
        boolean small = total < (1 << 20);
        return new BarRenderer(
                small ? "KiB" : "MiB", small ? 1 << 10 : 1 << 20, columns >= ETA_FROM_COLUMNS, name, received);
    }

    /** Whether the download waits to go on after a failure: "retrying" then shows where the speed does. */
    void retrying(boolean retrying) {
        this.retrying = retrying;
    }

    @Override
    public String render(ProgressState progress, int maxLength) {
        // The progress state's own task name is empty: what follows the name is the library's line.
        String probe = super.render(progress, 1000);
        int barCells = probe.lastIndexOf(RIGHT) - probe.indexOf(LEFT) - LEFT.length();
        int fixed = probe.length() - barCells;
        String shown = fit(name.get(), maxLength - fixed - MIN_BAR);
        return shown + super.render(progress, maxLength - shown.length());
    }

    /** {@code text} in at most {@code width} characters, its middle replaced by {@code …} when it is longer. */
    static String fit(String text, int width) {
        if (text.length() <= width) {
            return text;
        }
        if (width <= 1) {
            return width == 1 ? "…" : "";
        }
        int tail = (width - 1) / 2;
        int head = width - 1 - tail;
        return text.substring(0, head) + "…" + text.substring(text.length() - tail);
    }

    @Override
    protected String speed(ProgressState progress) {
        int width = SPEED_DIGITS + unitName.length() + "/s".length();
        double perSecond = bytesPerSecond(progress);
        String speed = retrying
                ? RETRYING
                : perSecond < 0 ? "" : String.format("%.1f", perSecond / unitSize) + unitName + "/s";
        return " ".repeat(Math.max(0, width - speed.length())) + speed;
    }

    @Override
    protected String etaString(ProgressState progress) {
        double perSecond = bytesPerSecond(progress);
        if (perSecond <= 0) {
            return "-:--:--";
        }
        long seconds = (long) Math.ceil(Math.max(0, progress.getMax() - progress.getCurrent()) / perSecond);
        String eta = String.format("%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        return " ".repeat(Math.max(0, ETA_WIDTH - eta.length())) + eta;
    }

    /** Bytes per second received so far; negative while too little time has passed to tell (until the end). */
    private double bytesPerSecond(ProgressState progress) {
        long millis = progress.getElapsedAfterStart().toMillis();
        long bytes = received.getAsLong();
        if (millis < (progress.isAlive() ? SPEED_AFTER_MILLIS : 1) || bytes <= 0) {
            return -1;
        }
        return bytes * 1000.0 / millis;
    }
}
