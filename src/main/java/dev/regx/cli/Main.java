package dev.regx.cli;

/** Entry point: runs the command line and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line; returns its exit code. */
    public static int run(String... args) {
        int code;
        try {
            code = RegxCommand.run(args);
        } catch (Error e) {
            // An OutOfMemoryError or StackOverflowError from input no limit caught: one line and exit 1, as for
            // any internal error, rather than the JVM's stack trace.
            code = ExitCode.INTERNAL.code();
            System.err.println("regx: internal error (" + e.getClass().getSimpleName() + "); please report it,"
                    + " with the command and its --verbose output");
        }
        return code;
    }
}
