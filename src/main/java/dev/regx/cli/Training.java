package dev.regx.cli;

import java.io.OutputStream;
import java.io.PrintStream;

import picocli.CommandLine;

/**
 * Extra work done only in the run that creates the class-data archive (AppCDS / AOT cache), i.e. when the
 * launcher ({@code src/main/launcher/regx.sh}) passes {@code -Dregx.cds.train=true}: after the user's real
 * command, walk the start-up path of every command quietly, so the archive also covers commands other than
 * the one that happened to run first (often {@code --version}).
 *
 * <p>Everything here must be safe offline and without side effects: no network, no files written, output
 * discarded. Add representative, side-effect-free start-up work here (e.g. parsing a small manifest) when
 * commands gain it. Failures are ignored: training only affects speed.
 */
final class Training {
    private Training() {
    }

    static boolean requested() {
        return Boolean.getBoolean("regx.cds.train");
    }

    static void run() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(nowhere);
        System.setErr(nowhere);
        try {
            RegxCommand.run("--version");
            RegxCommand.run("--help");
            for (String name : new CommandLine(new RegxCommand()).getSubcommands().keySet()) {
                RegxCommand.run(name, "--help");
            }
        } catch (RuntimeException | LinkageError ignored) {
            // Only the archive's coverage suffers.
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }
}
