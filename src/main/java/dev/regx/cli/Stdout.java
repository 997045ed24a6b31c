package dev.regx.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A command's standard output: text through {@link #text()}, bytes through {@link #bytes()} ({@code save -o
 * -}), and whether writing either failed, and why. {@link RegxCommand#execute} asks after every command; one
 * that streams (a large {@code ls}) asks {@link #checkWritten()} as it goes too, to stop reading a layer
 * nobody will see.
 *
 * <p>A failure is one of two kinds. The reader closed the pipe ({@code regx layers IMG | head -1}): exit
 * 141 and nothing on stderr, as a program killed by SIGPIPE (the JVM ignores the signal and gets EPIPE
 * instead). Anything else (a full disk, a closed descriptor, an I/O error): exit 12 with the reason.
 */
final class Stdout {
    /**
     * Buffered, not flushed per line: {@code ls} of a large layer prints tens of thousands of lines. 64K chars
     * also bound how much a streaming command prints before it can see that writing failed.
     */
    private static final int BUFFER_CHARS = 1 << 16;

    /** What file descriptor 1 is open on, on Linux: a pipe there fails a write only when its reader is gone. */
    private static final Path PROCESS_STDOUT = Path.of("/proc/self/fd/1");

    private final FailureRecordingOutputStream bytes;
    private final PrintWriter text;
    /** What {@code target} writes to, when known (the process's descriptor 1); else only the error's text tells. */
    private final Path device;

    /** Standard output going to {@code target}, text in UTF-8 whatever the locale says. */
    Stdout(OutputStream target) {
        this(target, null);
    }

    private Stdout(OutputStream target, Path device) {
        this.bytes = new FailureRecordingOutputStream(target);
        this.text = new PrintWriter(
                new BufferedWriter(new OutputStreamWriter(bytes, StandardCharsets.UTF_8), BUFFER_CHARS), false);
        this.device = device;
    }

    /** The process's own standard output, file descriptor 1. */
    static Stdout ofProcess() {
        return new Stdout(new FileOutputStream(FileDescriptor.out), PROCESS_STDOUT);
    }

    /** Whether this is the process's stdout and that is a terminal (where binary data has no business). */
    boolean isTerminal() {
        return device != null && Terminal.isStdoutTerminal();
    }

    /** The text writer (picocli's "out"); it never throws, so ask {@link #checkWritten()}. */
    PrintWriter text() {
        return text;
    }

    /** The byte stream under {@link #text()}, after the text written so far; its writes do throw. */
    OutputStream bytes() {
        text.flush();
        return bytes;
    }

    /**
     * Throws if a write has failed so far: without a flush, so it is cheap enough to ask per line.
     *
     * @throws CommandFailure {@link ExitCode#OUTPUT_CLOSED} when the reader closed the pipe, else
     *     {@link ExitCode#LOCAL_IO} saying why
     */
    void checkWritten() {
        IOException failure = bytes.failure();
        if (failure != null) {
            throw failureOf(failure, device);
        }
    }

    /** @param device what the failed writes went to, if known (see {@link ReaderGone}) */
    static CommandFailure failureOf(IOException e, Path device) {
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (ReaderGone.after(e, device)) {
            return new CommandFailure(ExitCode.OUTPUT_CLOSED, "standard output was closed by its reader", e);
        }
        String advice = reason.contains("No space left on device")
                ? "free some space or write elsewhere"
                : "check that standard output is open and writable";
        return new CommandFailure(ExitCode.LOCAL_IO, "cannot write to standard output: " + reason + "; " + advice, e);
    }
}
