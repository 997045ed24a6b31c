package dev.regx.cli;

import dev.regx.UsageException;
import dev.regx.files.LocalFileException;
import dev.regx.layer.LayerReadException;
import dev.regx.layer.SafeText;
import dev.regx.registry.RegistryException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.MissingParameterException;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Turns every failure into one line on stderr ({@code regx: what went wrong; what to do}) and its exit
 * code. No stack traces: with {@code --verbose} the chain of causes is added, one line each, and those
 * messages come from our own exceptions, which never carry secrets.
 */
final class ErrorReporter implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        ExitCode code = classify(e);
        if (code == ExitCode.OUTPUT_CLOSED) {
            return code.code(); // silent, as tar is: the reader left on purpose, and stderr is likely its terminal
        }
        err.println("regx: " + oneLine(message(e)));
        if (isVerbose(parsed)) {
            for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
                err.println(
                        "regx:   caused by " + c.getClass().getName() + ": " + oneLine(String.valueOf(c.getMessage())));
            }
        }
        err.flush();
        return code.code();
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("regx: " + oneLine(parseMessage(e)) + " (see '"
                + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return ExitCode.USAGE.code();
    }

    /**
     * picocli's message in regx's words: lower case, and saying what to do. Arguments left over are named
     * (picocli says "Unmatched argument at index 2", counting from where the command's own arguments begin, which
     * for a subcommand run alone, see {@link RegxCommand#execute}, is not where the user's began); an unknown
     * command or option gets the nearest one regx has.
     */
    static String parseMessage(ParameterException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            List<String> unmatched = u.getUnmatched();
            String first = unmatched.get(0);
            boolean command =
                    !u.isUnknownOption() && !e.getCommandLine().getSubcommands().isEmpty() && !first.startsWith("-");
            if (u.isUnknownOption() || command) {
                List<String> suggestions = u.getSuggestions();
                return (command ? "unknown command '" : "unknown option '") + first + "'"
                        + (suggestions.isEmpty() ? "" : "; did you mean '" + suggestions.get(0) + "'?");
            }
            if (message.startsWith("Unmatched argument")) {
                StringBuilder s =
                        new StringBuilder(unmatched.size() == 1 ? "unexpected argument " : "unexpected arguments ");
                for (int i = 0; i < unmatched.size(); i++) {
                    s.append(i == 0 ? "'" : ", '").append(unmatched.get(i)).append('\'');
                }
                return s.toString();
            }
        }
        if (e instanceof MissingParameterException m) {
            List<String> labels = new ArrayList<>();
            for (ArgSpec missing : m.getMissing()) {
                if (missing instanceof OptionSpec option) {
                    return option.longestName() + " needs a value (" + option.paramLabel() + ")";
                }
                labels.add(missing.paramLabel());
            }
            if (!labels.isEmpty()) {
                return "missing " + String.join(" and ", labels);
            }
        }
        // "Invalid value for option '--jobs': 'x' is not an int" and the like: regx's lines start in lower case.
        if (message.length() > 1
                && Character.isUpperCase(message.charAt(0))
                && Character.isLowerCase(message.charAt(1))) {
            return Character.toLowerCase(message.charAt(0)) + message.substring(1);
        }
        return message;
    }

    static ExitCode classify(Throwable e) {
        if (e instanceof CommandFailure f) {
            return f.exitCode();
        }
        if (e instanceof RegistryException r) {
            return ExitCode.of(r.kind());
        }
        if (e instanceof LayerReadException) {
            return ExitCode.CORRUPT_LAYER;
        }
        if (e instanceof LocalFileException) {
            return ExitCode.LOCAL_IO;
        }
        if (e instanceof UsageException) {
            return ExitCode.USAGE;
        }
        if (e instanceof InterruptedException) {
            return ExitCode.INTERRUPTED;
        }
        return ExitCode.INTERNAL;
    }

    private static String message(Exception e) {
        if (e instanceof CommandFailure
                || e instanceof RegistryException
                || e instanceof UsageException
                || e instanceof LayerReadException
                || e instanceof LocalFileException) {
            return e.getMessage();
        }
        return "internal error: " + e.getClass().getName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                + " (please report this with --verbose output)";
    }

    private static boolean isVerbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * Messages may quote server text (an error body, a media type, a header): keep them on one line, and escape
     * what could drive the terminal (ESC sequences, OSC 52 clipboard writes) or reorder what it shows (bidi
     * overrides), in this one place every failure line passes through.
     */
    static String oneLine(String s) {
        return s == null ? "" : SafeText.escape(s.replaceAll("[\\r\\n]+", " ").strip());
    }
}
