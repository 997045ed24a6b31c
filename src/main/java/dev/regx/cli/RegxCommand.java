package dev.regx.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code regx} command. */
@Command(name = "regx", mixinStandardHelpOptions = true, versionProvider = RegxCommand.Version.class,
        description = "Look inside container images straight from the registry, without a Docker daemon.",
        subcommands = {LayersCommand.class, SaveCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n")
public final class RegxCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** {@code regx} alone prints its usage and exits 2, as a missing subcommand is a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: layers, ls or save");
    }

    public static int run(String... args) {
        return commandLine().execute(args);
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
