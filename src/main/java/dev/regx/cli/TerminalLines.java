package dev.regx.cli;

import java.io.PrintWriter;
import java.io.Writer;
import me.tongfei.progressbar.ProgressBarConsumer;

/**
 * stderr while a progress bar is drawn on its last row: the bar's frames, which progressbar's refresh thread
 * hands over ({@link #accept}), and whole lines of text from any thread ({@link #lines()}: warnings, a line per
 * layer saved). A line is printed above the bar: the bar's row is cleared, the line written, the bar drawn again
 * below it. So neither breaks the other, and every frame clears what an older, longer one left.
 */
final class TerminalLines implements ProgressBarConsumer {
    private static final String ERASE_TO_END = "\033[K";

    private final PrintWriter terminal;
    private final int columns;
    private final int width;
    private final PrintWriter lines;
    /** The frame on screen, null while none is. */
    private String frame;

    private boolean finished;

    /**
     * @param terminal stderr
     * @param columns the terminal's width; frames stay a column short of it, as a character in the last column
     *     makes some terminals wrap
     */
    TerminalLines(PrintWriter terminal, int columns) {
        this.terminal = terminal;
        this.columns = columns;
        this.width = Math.max(1, columns - 1);
        this.lines = new PrintWriter(new LineWriter(), true);
    }

    /** Text to print above the bar, a line at a time (a line is printed once its {@code \n} is written). */
    PrintWriter lines() {
        return lines;
    }

    int columns() {
        return columns;
    }

    @Override
    public int getMaxRenderedLength() {
        return width;
    }

    @Override
    public synchronized void accept(String rendered) {
        if (finished) {
            return;
        }
        frame = rendered;
        terminal.print("\r" + rendered + ERASE_TO_END);
        terminal.flush();
    }

    synchronized void line(String text) {
        if (frame != null) {
            terminal.print("\r" + ERASE_TO_END);
        }
        terminal.print(text + "\n");
        if (frame != null) {
            terminal.print(frame);
        }
        terminal.flush();
    }

    /** The bar stays as last drawn, the cursor goes to the line below, and no frame is drawn after. */
    synchronized void finish() {
        if (!finished && frame != null) {
            terminal.print("\n");
            terminal.flush();
        }
        finished = true;
        frame = null;
    }

    /** Called by the bar's close, after its last frame. */
    @Override
    public void close() {
        finish();
    }

    /** Collects text until a line is complete, then prints it above the bar. */
    private final class LineWriter extends Writer {
        private final StringBuilder pending = new StringBuilder();

        @Override
        public void write(char[] chars, int offset, int length) {
            synchronized (TerminalLines.this) {
                for (int i = offset; i < offset + length; i++) {
                    if (chars[i] == '\n') {
                        line(pending.toString());
                        pending.setLength(0);
                    } else {
                        pending.append(chars[i]);
                    }
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            synchronized (TerminalLines.this) {
                if (!pending.isEmpty()) {
                    line(pending.toString());
                    pending.setLength(0);
                }
            }
        }
    }
}
