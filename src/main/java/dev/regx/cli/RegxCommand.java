package dev.regx.cli;

import dev.regx.startup.NetworkWarmUp;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IExecutionStrategy;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/** The top-level {@code regx} command. */
public final class RegxCommand implements Runnable {
    /** The subcommands, in the order help lists them. */
    private static final List<String> SUBCOMMANDS =
            List.of("layers", "ls", "cat", "extract", "save", "manifest", "config", "platforms", "tags", "digest");

    /**
     * A new model of subcommand {@code name}, reading environment variables from {@code env}, writing to {@code
     * stdout}.
     */
    private static CommandSpec subcommand(String name, Function<String, String> env, Stdout stdout) {
        switch (name) {
            case "layers":
                return new LayersCommand(env, stdout).spec;
            case "ls":
                return new LsCommand(env, stdout).spec;
            case "cat":
                return new CatCommand(env, stdout).spec;
            case "extract":
                return new ExtractCommand(env, stdout).spec;
            case "save":
                return new SaveCommand(env, stdout).spec;
            case "manifest":
                return new ManifestCommand(env, stdout).spec;
            case "config":
                return new ConfigCommand(env, stdout).spec;
            case "platforms":
                return new PlatformsCommand(env, stdout).spec;
            case "tags":
                return new TagsCommand(env, stdout).spec;
            case "digest":
                return new DigestCommand(env, stdout).spec;
            default:
                throw new IllegalArgumentException(name);
        }
    }

    final CommandSpec spec = CommandSpecs.command(
            this, "regx", "Look inside container images straight from the registry, without a Docker daemon.");

    {
        CommandSpecs.exitCodes(spec);
        // What the user can set; the README's table also lists the variables only the tests read.
        spec.usageMessage()
                .footerHeading("%nEnvironment:%n")
                .footer(
                        "  DOCKER_CONFIG   directory of config.json with credentials (default ~/.docker)",
                        "  PATH            where docker-credential-* helpers are found",
                        "  JAVA_HOME       the JDK the launcher runs (else java on PATH)",
                        "  REGX_JAVA_OPTS  extra JVM flags for the launcher (they come last, so they win)",
                        "  REGX_CDS        0 turns off the launcher's class-data archive",
                        "  XDG_CACHE_HOME  archives (at most 48 MiB) go in $XDG_CACHE_HOME/regx/",
                        "                  (default ~/.cache/regx/; remove that directory to clear them)",
                        "  HTTPS_PROXY, HTTP_PROXY (or lower case)",
                        "                  proxy for https / http registries:",
                        "                  http://host:port or socks5://host:port",
                        "  NO_PROXY        hosts reached directly: *, names, name:port, IP addresses, CIDR blocks",
                        "  TMPDIR          where cat keeps contents too large for memory until verified",
                        "  COLUMNS         terminal width for regx layers (else asked of the terminal)",
                        "",
                        "Each command's manual page: man regx-COMMAND (e.g. man regx-layers).");
    }

    /** {@code regx} alone prints its usage and exits 2, as a missing subcommand is a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(
                spec.commandLine(), "missing command: " + String.join(", ", SUBCOMMANDS));
    }

    /**
     * Runs regx on the process's stdout and stderr, both UTF-8 whatever the locale says (file names are
     * UTF-8 in images; Java 17 would otherwise print '?' under LANG=C). stdout is not System.out: a
     * PrintStream swallows write errors, and {@link Stdout} must see them.
     */
    public static int run(String... args) {
        PrintWriter err = new PrintWriter(
                new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        try {
            if (args.length > 1 && SUBCOMMANDS.contains(args[0])) {
                NetworkWarmUp.start();
            }
            return execute(SystemEnvironment.INSTANCE, Stdout.ofProcess(), err, args);
        } finally {
            err.flush();
        }
    }

    /**
     * Runs {@code args} on a command line with only the models they need. {@code regx layers IMAGE} runs
     * {@code layers} as a command of its own, named "regx layers" (so its help and messages read the same):
     * the top-level model, which would only have dispatched to it, costs a cold JVM another picocli
     * CommandSpec and CommandLine (measurable on JDK 17; JDK 25's cache has picocli's set-up linked ahead).
     *
     * <p>A command whose output could not be written fails (see {@link Stdout}), help and version included.
     */
    public static int execute(Function<String, String> env, OutputStream out, PrintWriter err, String... args) {
        return execute(env, new Stdout(out), err, args);
    }

    private static int execute(Function<String, String> env, Stdout stdout, PrintWriter err, String... args) {
        CommandLine commandLine;
        String[] commandArgs;
        if (args.length > 0 && SUBCOMMANDS.contains(args[0])) {
            CommandSpec alone = subcommand(args[0], env, stdout);
            alone.name("regx " + args[0]);
            commandLine = withHandlers(new CommandLine(alone));
            commandArgs = Arrays.copyOfRange(args, 1, args.length);
        } else {
            commandLine = forArguments(env, stdout, args);
            commandArgs = args;
        }
        return commandLine
                .setOut(stdout.text())
                .setErr(err)
                .setExecutionStrategy(new RunThenCheckStdout(stdout))
                .execute(commandArgs);
    }

    /**
     * The whole command line, its commands' data going to the process's stdout; for its model (completion,
     * help), as {@link #execute} is what checks that output was written.
     */
    public static CommandLine commandLine() {
        return build(SystemEnvironment.INSTANCE, Stdout.ofProcess(), null);
    }

    /**
     * The top-level command line for {@code args} that do not start with a subcommand ({@link #execute} runs
     * those alone): {@code --version} needs the model of no subcommand.
     */
    static CommandLine forArguments(Function<String, String> env, Stdout stdout, String... args) {
        String first = args.length > 0 ? args[0] : null;
        return build(env, stdout, "--version".equals(first) || "-V".equals(first) ? "" : null);
    }

    /** @param only the one subcommand to build, "" for none, null for all (and {@code help}) */
    private static CommandLine build(Function<String, String> env, Stdout stdout, String only) {
        CommandLine cl = withHandlers(new CommandLine(new RegxCommand().spec));
        for (String name : SUBCOMMANDS) {
            if (only == null || only.equals(name)) {
                cl.addSubcommand(name, new CommandLine(subcommand(name, env, stdout)));
            }
        }
        if (only == null) {
            // The one model still read from annotations (picocli's own); only `regx help` and `regx --help` build it.
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        return cl;
    }

    /** {@code commandLine} reporting failures in one line and exit codes as {@link ErrorReporter} does. */
    private static CommandLine withHandlers(CommandLine commandLine) {
        ErrorReporter errors = new ErrorReporter();
        return commandLine.setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
    }

    /**
     * picocli's default strategy (run the last command given), then the check that its output was written:
     * a failed write fails the command as if the command had thrown, so {@link ErrorReporter} reports it
     * (silently for a reader that left). A command that failed on its own keeps its own report: what it had
     * printed is flushed first (a terminal then shows the listing before the error line), and a write failure
     * then is not checked. A class, not a lambda: see {@link SystemEnvironment}.
     */
    private static final class RunThenCheckStdout implements IExecutionStrategy {
        private final Stdout stdout;

        RunThenCheckStdout(Stdout stdout) {
            this.stdout = stdout;
        }

        @Override
        public int execute(ParseResult parseResult) {
            int code;
            try {
                code = new CommandLine.RunLast().execute(parseResult);
            } finally {
                stdout.text().flush();
            }
            try {
                stdout.checkWritten();
            } catch (CommandFailure f) {
                ParseResult last = parseResult;
                while (last.subcommand() != null) {
                    last = last.subcommand();
                }
                throw new ExecutionException(last.commandSpec().commandLine(), f.getMessage(), f);
            }
            return code;
        }
    }

    /*
     * What picocli reads from system properties, set before its first model is built. It registers
     * converters for java.sql and java.time types by reflection; regx has no such options, and loading those
     * classes costs start-up time on every run. The exclusion is matched as a regular expression against each
     * of those 17 types, compiled anew for each: ".*" is the cheapest. Nor does it need to look for Groovy on
     * the class path (a failed class lookup on every run).
     */
    static {
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", ".*");
        }
        if (System.getProperty("picocli.disable.closures") == null) {
            System.setProperty("picocli.disable.closures", "true");
        }
    }

    /**
     * The process's environment variables. A class rather than {@code System::getenv}: the first lambda a
     * JVM links sets up java.lang.invoke (a cost on JDK 17, archive or not), and picocli, which runs
     * next, needs none of it.
     */
    private static final class SystemEnvironment implements Function<String, String> {
        static final SystemEnvironment INSTANCE = new SystemEnvironment();

        @Override
        public String apply(String name) {
            return System.getenv(name);
        }
    }

    /** The version from the jar manifest (set by the build). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = RegxCommand.class.getPackage().getImplementationVersion();
            return new String[] {"regx " + (v == null ? "dev" : v)};
        }
    }
}
