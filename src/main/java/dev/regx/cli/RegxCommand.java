package dev.regx.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code regx} command. */
@Command(name = "regx", mixinStandardHelpOptions = true, versionProvider = RegxCommand.Version.class,
        description = "Look inside container images straight from the registry.")
public final class RegxCommand {

    public static int run(String... args) {
        return new CommandLine(new RegxCommand()).execute(args);
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
