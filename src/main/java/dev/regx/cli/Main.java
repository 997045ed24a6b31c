package dev.regx.cli;

/** Entry point: runs the command line and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int code = RegxCommand.run(args);
        String tour = Training.requested();
        if (tour != null) {
            Training.run(tour);
        }
        System.exit(code);
    }
}
