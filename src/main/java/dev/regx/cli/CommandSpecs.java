package dev.regx.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Range;

/**
 * Builds regx's command models with picocli's programmatic API instead of its annotations.
 *
 * <p>Why: picocli reads annotations through reflection, and the JDK hands out each annotation as a dynamic
 * proxy whose class is generated at run time, one per annotation type, which JDK 17's class-data archive
 * cannot keep: building the models in code costs a cold {@code regx layers} a third of what reading annotations
 * did (README, "Start-up measurements").
 *
 * <p>Each command still declares its options as fields, one per option, next to each other as annotations
 * would be, and reads them back after parsing ({@code flag.getValue()}, {@link #isSet}).
 */
final class CommandSpecs {
    /** The exit-code table of {@code regx --help} and the man pages, from {@link ExitCode}. */
    private static final Map<String, String> EXIT_CODES = new LinkedHashMap<>();

    static {
        for (ExitCode c : ExitCode.values()) {
            String code = Integer.toString(c.code());
            EXIT_CODES.put(" ".repeat(3 - code.length()) + code, c.meaning());
        }
    }

    /** Where a command's help sends the reader for the exit codes. */
    static final String EXIT_CODES_POINTER = "Exit codes: see regx --help or man regx.";

    private CommandSpecs() {}

    /**
     * A command named {@code name} that runs {@code command} (a {@code Runnable} or {@code Callable}), with
     * {@code -h/--help} and {@code -V/--version}, its synopsis wrapped between options ({@link WrappedSynopsis}).
     */
    static CommandSpec command(Object command, String name, String... description) {
        CommandSpec spec =
                CommandSpec.wrapWithoutInspection(command).name(name).versionProvider(new RegxCommand.Version());
        spec.usageMessage().description(description);
        spec.usageMessage().sectionMap().put(UsageMessageSpec.SECTION_KEY_SYNOPSIS, new WrappedSynopsis());
        spec.addOption(OptionSpec.builder("-h", "--help")
                .usageHelp(true)
                .description("Show this help message and exit.")
                .build());
        spec.addOption(OptionSpec.builder("-V", "--version")
                .versionHelp(true)
                .description("Print version information and exit.")
                .build());
        return spec;
    }

    /** Adds the exit-code table to {@code spec}'s help: {@code regx --help} has it, a command's points there. */
    static void exitCodes(CommandSpec spec) {
        spec.usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(EXIT_CODES);
    }

    /**
     * Adds an "Examples:" section to the end of {@code spec}'s help, and after it where the exit codes are: the
     * table would push the examples out of sight, and it is the same for every command.
     */
    static void examples(CommandSpec spec, String... lines) {
        String[] footer = Arrays.copyOf(lines, lines.length + 2);
        footer[lines.length] = "";
        footer[lines.length + 1] = EXIT_CODES_POINTER;
        spec.usageMessage().footerHeading("%nExamples:%n").footer(footer);
    }

    /** An option without a value: present or not. */
    static OptionSpec flag(CommandSpec spec, String description, String... names) {
        return add(
                spec,
                OptionSpec.builder(names)
                        .type(boolean.class)
                        .arity("0")
                        .initialValue(false)
                        .description(description));
    }

    /** An option with one value of {@code type}; {@code defaultValue} may be null (none). */
    static OptionSpec option(
            CommandSpec spec,
            Class<?> type,
            String paramLabel,
            String defaultValue,
            String description,
            String... names) {
        return option(spec, type, paramLabel, defaultValue, description, null, names);
    }

    /** As {@link #option(CommandSpec, Class, String, String, String, String...)}, shell completion offering {@code candidates} (none when null). */
    static OptionSpec option(
            CommandSpec spec,
            Class<?> type,
            String paramLabel,
            String defaultValue,
            String description,
            List<String> candidates,
            String... names) {
        return add(
                spec,
                OptionSpec.builder(names)
                        .type(type)
                        .paramLabel(paramLabel)
                        .defaultValue(defaultValue)
                        .completionCandidates(candidates)
                        .description(description));
    }

    /**
     * A repeatable option whose values may also be given comma-separated, collected in a list of strings (see {@link
     * #strings}).
     */
    static OptionSpec listOption(CommandSpec spec, String paramLabel, String description, String... names) {
        return add(
                spec,
                OptionSpec.builder(names)
                        .type(List.class)
                        .auxiliaryTypes(String.class)
                        .splitRegex(",")
                        .paramLabel(paramLabel)
                        .description(description));
    }

    /** Positional parameter(s) at {@code index} ("0", "1..2"), of {@code type}. */
    /** The IMAGE every command but {@code tags} takes first: one reference, required. */
    static PositionalParamSpec image(CommandSpec spec, String example) {
        return parameter(spec, "0", "1", String.class, "IMAGE", "Image reference, e.g. " + example);
    }

    static PositionalParamSpec parameter(
            CommandSpec spec, String index, String arity, Class<?> type, String paramLabel, String description) {
        // A label that spells its own syntax ("[IDX] [PATH]") is shown as it is: picocli would wrap it in
        // brackets again for each value the arity allows.
        PositionalParamSpec.Builder builder = PositionalParamSpec.builder()
                .index(index)
                .arity(arity)
                .paramLabel(paramLabel)
                .hideParamSyntax(paramLabel.startsWith("["))
                .required(Range.valueOf(arity).min() > 0)
                .description(description);
        if (type == List.class) {
            builder.type(List.class).auxiliaryTypes(String.class);
        } else {
            builder.type(type);
        }
        PositionalParamSpec parameter = builder.build();
        spec.addPositional(parameter);
        return parameter;
    }

    /** Whether a {@link #flag} was given. */
    static boolean isSet(OptionSpec flag) {
        return Boolean.TRUE.equals(flag.getValue());
    }

    /** The values of a list option or parameter: empty, not null, when none were given. */
    static List<String> strings(ArgSpec listArg) {
        List<String> values = listArg.getValue();
        return values == null ? List.of() : values;
    }

    private static OptionSpec add(CommandSpec spec, OptionSpec.Builder builder) {
        OptionSpec option = builder.build();
        spec.addOption(option);
        return option;
    }
}
