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
        subcommands = {LayersCommand.class, LsCommand.class, SaveCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n")
public final class RegxCommand implements Runnable {
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
            return commandLine().setOut(out).setErr(err).execute(args);
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
        // One source of truth for the exit-code table in --help: the ExitCode enum.
        Map<String, String> codes = new LinkedHashMap<>();
        for (ExitCode c : ExitCode.values()) {
            codes.put(String.format("%3d", c.code()), c.meaning());
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
