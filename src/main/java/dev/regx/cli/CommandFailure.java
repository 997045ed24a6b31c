package dev.regx.cli;

/**
 * A failure a command reports itself, with the exit code to use: the message is the one line the user
 * sees after {@code regx: }.
 */
public final class CommandFailure extends RuntimeException {
    private final ExitCode exitCode;

    public CommandFailure(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CommandFailure(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }
}
