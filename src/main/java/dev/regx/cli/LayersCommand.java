package dev.regx.cli;

import dev.regx.registry.ImageReference;
import dev.regx.registry.manifest.ResolvedImage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code regx layers IMAGE}: the image's layers, one row each. */
public final class LayersCommand implements Callable<Integer> {
    final CommandSpec spec = CommandSpecs.command(
            this,
            "layers",
            "List an image's layers: index, digest, size, media type and the command that made each.",
            "The resolved manifest digest and platform go to stderr (or into --json).");
    private final RegistryOptions registry;
    private final Stdout stdout;
    private final PositionalParamSpec image =
            CommandSpecs.image(spec, "alpine:3.19 or, by digest, ghcr.io/org/img@sha256:…");
    private final OptionSpec json = CommandSpecs.flag(
            spec,
            "Print one JSON document: reference, registry, repository, tag, digest, mediaType, indexDigest,"
                    + " platform, totalSize (bytes) and layers, each with index, digest, size, mediaType, diffId and"
                    + " createdBy.",
            "--json");
    private final OptionSpec quiet =
            CommandSpecs.flag(spec, "Print only the layer digests, one per line.", "-q", "--quiet");
    private final OptionSpec bytes =
            CommandSpecs.flag(spec, "Show exact sizes in bytes instead of KiB/MiB/GiB.", "--bytes");

    LayersCommand(Function<String, String> env, Stdout stdout) {
        registry = new RegistryOptions(spec, env);
        this.stdout = stdout;
        CommandSpecs.examples(
                spec,
                "  regx layers smoshysmosh/composer:latest",
                "  regx layers --platform linux/arm64 --json alpine:3.19",
                "  regx layers -q ghcr.io/org/img@sha256:…");
    }

    @Override
    public Integer call() throws Exception {
        if (CommandSpecs.isSet(json) && CommandSpecs.isSet(quiet)) {
            // Not one silently winning: a script asking for both would get a format it did not expect.
            // (--bytes with --json is merely redundant: JSON sizes are exact.)
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "--json and -q ask for two different outputs; choose one");
        }
        ImageReference ref = registry.reference(image.getValue());
        ResolvedImage resolved = registry.resolve(registry.client(ref), ref);
        PrintWriter out = stdout.text();
        if (CommandSpecs.isSet(json)) {
            LayersJson.write(resolved, out);
        } else if (CommandSpecs.isSet(quiet)) {
            resolved.layers().forEach(l -> out.println(l.digest()));
        } else {
            PrintWriter err = spec.commandLine().getErr();
            err.println(ResolvedSummary.of(resolved));
            err.flush();
            new LayersTable(
                            CommandSpecs.isSet(bytes),
                            Terminal.isStdoutTerminal() ? Terminal.width() : java.util.OptionalInt.empty())
                    .print(resolved, out);
        }
        return ExitCode.OK.code();
    }
}
