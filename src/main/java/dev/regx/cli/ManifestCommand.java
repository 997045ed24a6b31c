package dev.regx.cli;

import dev.regx.registry.ImageReference;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.ManifestDocument;
import dev.regx.registry.manifest.ManifestSelection;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/** {@code regx manifest IMAGE}: the manifest, byte for byte as the registry served it. */
public final class ManifestCommand implements Callable<Integer> {
    final CommandSpec spec = CommandSpecs.command(
            this,
            "manifest",
            "Print an image's manifest exactly as the registry served it (its digest checked), for the platform"
                    + " `layers` would choose; --index prints the index or manifest list itself.",
            "Its digest and media type go to stderr.");
    private final RegistryOptions registry;
    private final Stdout stdout;
    private final PositionalParamSpec image = CommandSpecs.image(spec, "alpine:3.19");
    private final OptionSpec index = CommandSpecs.flag(
            spec,
            "Print the document the reference names (the index or manifest list of a multi-platform image).",
            "--index");
    private final OptionSpec pretty = CommandSpecs.flag(
            spec, "Indent the JSON for reading (the bytes then no longer match the digest).", "--pretty");

    ManifestCommand(Function<String, String> env, Stdout stdout) {
        registry = RegistryOptions.with(spec, env, RegistryOptions.Extra.PLATFORM);
        this.stdout = stdout;
        CommandSpecs.examples(
                spec,
                "  regx manifest alpine:3.19",
                "  regx manifest --index --pretty alpine:3.19",
                "  regx manifest --platform linux/arm64 alpine:3.19 | jq .layers");
    }

    @Override
    public Integer call() throws IOException {
        if (CommandSpecs.isSet(index) && registry.platform().isPresent()) {
            throw new ParameterException(
                    spec.commandLine(), "--index prints the index itself and --platform chooses from it; give one");
        }
        ImageReference ref = registry.reference(image.getValue());
        RegistryClient client = registry.client(ref);
        ManifestDocument manifest;
        String summary;
        if (CommandSpecs.isSet(index)) {
            manifest = client.named(ref);
            summary = ErrorReporter.oneLine(ref + " is " + manifest.digest());
        } else {
            ManifestSelection selection = client.select(ref, registry.platform());
            manifest = selection.manifest();
            summary = ResolvedSummary.of(ref, selection);
        }
        PrintWriter err = spec.commandLine().getErr();
        err.println(summary + ", " + ErrorReporter.oneLine(manifest.mediaType()));
        err.flush();
        RawDocument.print(manifest.bytes(), "manifest " + manifest.digest(), CommandSpecs.isSet(pretty), stdout);
        return ExitCode.OK.code();
    }
}
