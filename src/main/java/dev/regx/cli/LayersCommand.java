package dev.regx.cli;

import dev.regx.registry.ImageReference;
import dev.regx.registry.manifest.ResolvedImage;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code regx layers IMAGE}: the image's layers, one row each. */
@Command(name = "layers", mixinStandardHelpOptions = true, versionProvider = RegxCommand.Version.class,
        description = {"List an image's layers: index, digest, size, media type and the command that made each.",
                "The resolved manifest digest and platform go to stderr (or into --json)."},
        exitCodeListHeading = "%nExit codes:%n",
        footerHeading = "%nExamples:%n", footer = {"  regx layers smoshysmosh/composer:latest", "  regx layers --platform linux/arm64 --json alpine:3.19", "  regx layers -q ghcr.io/org/img@sha256:…"})
public final class LayersCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    RegistryOptions registry;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "Image reference, e.g. alpine:3.19 or ghcr.io/org/img@sha256:…")
    String image;

    @Option(names = "--json", description = "Print one JSON document (schema in the README).")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "Print only the layer digests, one per line.")
    boolean quiet;

    @Option(names = "--bytes", description = "Show exact sizes in bytes instead of KiB/MiB/GiB.")
    boolean bytes;

    @Override
    public Integer call() throws Exception {
        ImageReference ref = registry.reference(image);
        ResolvedImage resolved = registry.resolve(registry.client(ref), ref);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            LayersJson.write(resolved, out);
        } else if (quiet) {
            resolved.layers().forEach(l -> out.println(l.digest()));
        } else {
            PrintWriter err = spec.commandLine().getErr();
            err.println(ResolvedSummary.of(resolved));
            err.flush();
            new LayersTable(bytes, Terminal.isStdoutTerminal() ? Terminal.width() : java.util.OptionalInt.empty())
                    .print(resolved, out);
        }
        out.flush();
        return ExitCode.OK.code();
    }
}
