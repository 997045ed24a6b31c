package dev.regx.cli;

import dev.regx.files.FileContents;
import dev.regx.files.ImagePathException;
import dev.regx.registry.ImageReference;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.ResolvedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/** {@code regx cat IMAGE [IDX] PATH...}: the contents of files inside an image, on stdout. */
public final class CatCommand implements Callable<Integer> {
    final CommandSpec spec = CommandSpecs.command(
            this,
            "cat",
            "Print the contents of each regular file PATH, in the order given, byte for byte.",
            "From layer IDX, or without IDX from the image's merged file system (the topmost layer that has PATH and"
                    + " does not hide it). Symbolic links are followed inside the image, never outside it. Nothing is"
                    + " printed before the layer's digest has been verified: contents wait in memory, or in a private"
                    + " temporary file when large.");
    private final RegistryOptions registry;
    private final Stdout stdout;
    private final Function<String, String> env;
    private final PositionalParamSpec image = CommandSpecs.image(spec, "alpine:3.19");
    private final PositionalParamSpec rest = CommandSpecs.parameter(
            spec,
            "1..*",
            "1..*",
            List.class,
            "[IDX] PATH...",
            "Layer index (0 is the base; omit it for the merged view) and the files to print. An argument that looks"
                    + " like an integer is always IDX: write a file named 1 as ./1.");
    private final OptionSpec noFollow = CommandSpecs.flag(
            spec, "A PATH that is a symbolic link fails instead of printing what it leads to.", "--no-follow");
    private final OptionSpec unverified = CommandSpecs.flag(
            spec,
            "Print each file as its layer streams past, before any digest is checked, and read no further once"
                    + " every PATH is printed (without IDX the layers are read from the top down). Gives up the proof"
                    + " that the bytes are the image's: a registry, proxy or cache serving other bytes goes"
                    + " unnoticed.",
            "--unverified");

    CatCommand(Function<String, String> env, Stdout stdout) {
        registry = RegistryOptions.forLayerBlobs(spec, env);
        this.stdout = stdout;
        this.env = env;
        CommandSpecs.examples(
                spec,
                "  regx cat alpine:3.19 /etc/os-release",
                "  regx cat smoshysmosh/composer:latest 1 usr/bin/composer > composer",
                "  regx cat --unverified alpine:3.19 0 etc/passwd etc/group");
    }

    @Override
    public Integer call() throws Exception {
        List<String> args = new ArrayList<>(CommandSpecs.strings(rest));
        BigInteger index = LayerIndex.takeLeading(spec.commandLine(), args);
        if (args.isEmpty()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "missing PATH after IDX " + index + " (a PATH named like a number needs ./ in front)");
        }
        ImageReference ref = registry.reference(image.getValue());
        RegistryClient client = registry.client(ref);
        ResolvedImage resolved = registry.resolve(client, ref);
        Integer layer =
                index == null ? null : LayerIndex.select(resolved, index).index();
        FileContents contents =
                new FileContents(client, resolved, TemporaryFiles.directory(env), FileContents.DEFAULT_MEMORY);
        OutputStream out = stdout.bytes();
        try {
            contents.write(
                    new FileContents.Request(
                            args, layer, !CommandSpecs.isSet(noFollow), CommandSpecs.isSet(unverified)),
                    out);
        } catch (IOException e) {
            stdout.checkWritten();
            throw new CommandFailure(ExitCode.LOCAL_IO, "cannot write to standard output: " + e.getMessage(), e);
        } catch (ImagePathException e) {
            throw ImagePathFailure.of(e, resolved.reference(), layer);
        }
        return ExitCode.OK.code();
    }
}
