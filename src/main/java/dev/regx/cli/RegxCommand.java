package dev.regx.cli;

import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code regx} command. */
@Command(name = "regx", mixinStandardHelpOptions = true, versionProvider = RegxCommand.Version.class,
        description = "Look inside container images straight from the registry, without a Docker daemon.",
        exitCodeListHeading = "%nExit codes:%n")
public final class RegxCommand implements Runnable {
    /** The subcommands, in the order help lists them. */
    private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("layers", LayersCommand.class);
        SUBCOMMANDS.put("ls", LsCommand.class);
        SUBCOMMANDS.put("save", SaveCommand.class);
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code regx} alone prints its usage and exits 2, as a missing subcommand is a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: layers, ls or save");
    }

    /**
     * Runs regx on the process's stdout and stderr, both UTF-8 whatever the locale says (file names are
     * UTF-8 in images; Java 17 would otherwise print '?' under LANG=C). stdout is buffered, not flushed per
     * line: {@code ls} of a large layer prints tens of thousands of lines.
     */
    public static int run(String... args) {
        PrintWriter out = new PrintWriter(new BufferedWriter(new OutputStreamWriter(
                new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), 1 << 16), false);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        try {
            if (args.length > 1 && SUBCOMMANDS.containsKey(args[0])) {
                NetworkWarmUp.start();
            }
            return forArguments(System::getenv, args).setOut(out).setErr(err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** The configured command line; tests use it with their own out and err writers. */
    public static CommandLine commandLine() {
        return commandLine(System::getenv);
    }

    /** The command line with its environment variables read from {@code env} (tests isolate themselves so). */
    public static CommandLine commandLine(Function<String, String> env) {
        return build(env, null);
    }

    /**
     * The command line needed for {@code args}: when they name a subcommand, only that one is built.
     * picocli builds a command's model by reflecting over its annotations, a few milliseconds for each;
     * {@code regx layers IMAGE} should not pay for {@code ls} and {@code save}, nor {@code --version} for any.
     */
    static CommandLine forArguments(Function<String, String> env, String... args) {
        String first = args.length > 0 ? args[0] : null;
        if ("--version".equals(first) || "-V".equals(first)) {
            return build(env, "");
        }
        return build(env, SUBCOMMANDS.containsKey(first) ? first : null);
    }

    /** @param only the one subcommand to build, "" for none, null for all (and {@code help}) */
    private static CommandLine build(Function<String, String> env, String only) {
        // picocli registers converters for java.sql and java.time types by reflection; regx has no such
        // options, and loading those classes costs start-up time on every run.
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", "java\\.sql\\..*,java\\.time\\..*");
        }
        ErrorReporter errors = new ErrorReporter();
        CommandLine.IFactory defaults = CommandLine.defaultFactory();
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            @SuppressWarnings("unchecked")
            public <K> K create(Class<K> cls) throws Exception {
                return cls == RegistryOptions.class ? (K) new RegistryOptions(env) : defaults.create(cls);
            }
        };
        CommandLine cl = new CommandLine(new RegxCommand(), factory)
                .setExecutionExceptionHandler(errors)
                .setParameterExceptionHandler(errors);
        for (Map.Entry<String, Class<?>> sub : SUBCOMMANDS.entrySet()) {
            if (only == null || only.equals(sub.getKey())) {
                cl.addSubcommand(sub.getKey(), new CommandLine(sub.getValue(), factory));
            }
        }
        if (only == null) {
            cl.addSubcommand("help", new CommandLine.HelpCommand());
        }
        // One source of truth for the exit-code table in --help: the ExitCode enum.
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode c : ExitCode.values()) {
            String code = Integer.toString(c.code());
            codes.put(" ".repeat(3 - code.length()) + code, c.meaning());
        }
        cl.getCommandSpec().usageMessage().exitCodeList(codes);
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().usageMessage().exitCodeList(codes));
        return cl;
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
