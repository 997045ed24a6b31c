package dev.regx.cli;

import dev.regx.files.ExtractOptions;
import dev.regx.files.ImageExtraction;
import dev.regx.files.ImagePathException;
import dev.regx.files.TargetExistsException;
import dev.regx.registry.ImageReference;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.ResolvedImage;
import dev.regx.save.LayerFileName;
import java.io.IOException;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/** {@code regx extract IMAGE [IDX] [PATH...]}: a layer, or the image's file system, written into a directory. */
public final class ExtractCommand implements Callable<Integer> {
    final CommandSpec spec = CommandSpecs.command(
            this,
            "extract",
            "Write the files of layer IDX, or without IDX the image's whole file system (whiteouts applied), into"
                    + " a new directory.",
            "Default directory: the name `save` gives the layer, without its extension (no -IDX for the merged"
                    + " view), in the current directory. Entries go into a hidden sibling directory that is renamed"
                    + " only once every blob has matched its digest. Hostile entries (names leaving the directory,"
                    + " writes through links the layer made, hard links to outside) are refused, one warning each,"
                    + " and the exit status is 14.");
    private final RegistryOptions registry;
    private final Stdout stdout;
    private final PositionalParamSpec image = CommandSpecs.image(spec, "alpine:3.19");
    private final PositionalParamSpec rest = CommandSpecs.parameter(
            spec,
            "1..*",
            "0..*",
            List.class,
            "[IDX] [PATH...]",
            "Layer index (0 is the base; omit it for the merged view; an argument that looks like an integer is"
                    + " always IDX) and the files or directories to write (default: all).");
    private final OptionSpec directory = CommandSpecs.option(
            spec,
            String.class,
            "DIR",
            null,
            "The directory to create (it must not exist, unless --force).",
            "-C",
            "--directory");
    private final OptionSpec force = CommandSpecs.flag(
            spec, "Replace DIR if it exists (once the new tree is complete and verified).", "-f", "--force");
    private final OptionSpec whiteouts = CommandSpecs.option(
            spec,
            WhiteoutMode.class,
            "MODE",
            "skip",
            "With IDX: skip (default) leaves whiteout markers out and says how many; keep writes them as the empty"
                    + " .wh. files they are in the tar.",
            "--whiteouts");
    private final OptionSpec devices = CommandSpecs.flag(
            spec, "As root: create device nodes and fifos (otherwise skipped with a warning).", "--devices");
    private final OptionSpec sameOwner =
            CommandSpecs.flag(spec, "As root: give files the owners the tar names.", "--same-owner");
    private final OptionSpec preservePermissions =
            CommandSpecs.flag(spec, "Keep setuid and setgid bits (dropped otherwise).", "-p", "--preserve-permissions");
    private final OptionSpec list =
            CommandSpecs.flag(spec, "List entries on stderr as they are written, as tar -v.", "-v", "--list");

    /** What {@code --whiteouts} offers. */
    enum WhiteoutMode {
        skip,
        keep
    }

    ExtractCommand(Function<String, String> env, Stdout stdout) {
        registry = RegistryOptions.with(
                spec,
                env,
                RegistryOptions.Extra.PLATFORM,
                RegistryOptions.Extra.FOREIGN_LAYERS,
                RegistryOptions.Extra.OWN_SHORT_V,
                RegistryOptions.Extra.CONNECTIONS);
        this.stdout = stdout;
        CommandSpecs.examples(
                spec,
                "  regx extract alpine:3.19                     (into library-alpine-3.19/)",
                "  regx extract smoshysmosh/composer:latest 1 -C layer1",
                "  regx extract alpine:3.19 0 etc -C alpine-etc");
    }

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>(CommandSpecs.strings(rest));
        BigInteger index = LayerIndex.takeLeading(spec.commandLine(), args);
        WhiteoutMode whiteoutMode = whiteouts.getValue();
        if (index == null && whiteoutMode == WhiteoutMode.keep) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--whiteouts=keep needs IDX: the merged view applies whiteouts, it has none left");
        }
        ImageReference ref = registry.reference(image.getValue());
        RegistryClient client = registry.client(ref);
        ResolvedImage resolved = registry.resolve(client, ref);
        Integer layer =
                index == null ? null : LayerIndex.select(resolved, index).index();
        String dirOption = directory.getValue();
        Path target = Path.of(
                dirOption != null
                        ? dirOption
                        : LayerFileName.image(resolved.reference(), layer == null ? "" : "-" + layer));
        ExtractOptions options = new ExtractOptions(
                CommandSpecs.isSet(devices),
                CommandSpecs.isSet(sameOwner),
                CommandSpecs.isSet(preservePermissions),
                whiteoutMode == WhiteoutMode.keep,
                isRoot());
        PrintWriter err = spec.commandLine().getErr();
        Consumer<String> warnings = line -> {
            err.println(ErrorReporter.oneLine("regx: warning: " + line));
            err.flush();
        };
        Consumer<String> listing = CommandSpecs.isSet(list)
                ? line -> {
                    err.println(line);
                    err.flush();
                }
                : line -> {};
        ImageExtraction.Outcome outcome;
        try {
            outcome = new ImageExtraction(client, resolved)
                    .run(
                            new ImageExtraction.Request(layer, args, target, CommandSpecs.isSet(force), options),
                            warnings,
                            listing);
        } catch (TargetExistsException e) {
            throw new CommandFailure(ExitCode.FILE_EXISTS, e.getMessage(), e);
        } catch (ImagePathException e) {
            throw ImagePathFailure.of(e, resolved.reference(), layer);
        }
        if (outcome.whiteouts() > 0) {
            warnings.accept(outcome.whiteouts() + (outcome.whiteouts() == 1 ? " whiteout file" : " whiteout files")
                    + " not written (--whiteouts=keep writes them)");
        }
        stdout.text().println(outcome.directory());
        if (outcome.refused() > 0) {
            throw new CommandFailure(
                    ExitCode.REFUSED_ENTRIES,
                    outcome.refused() + (outcome.refused() == 1 ? " entry was" : " entries were")
                            + " refused as unsafe (see the warnings); the rest is in " + outcome.directory());
        }
        return ExitCode.OK.code();
    }

    /** Whether regx runs as root: the owner of the process's own /proc entry is its effective user. */
    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
