package dev.regx.cli;

import dev.regx.registry.ImageReference;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.manifest.ManifestSelection;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code regx config IMAGE}: the image's config blob, byte for byte as the registry served it. */
public final class ConfigCommand implements Callable<Integer> {
    final CommandSpec spec = CommandSpecs.command(
            this,
            "config",
            "Print an image's config (environment, entrypoint, history, diff ids) exactly as the registry"
                    + " served it, its digest and size checked, for the platform `layers` would choose.",
            "The manifest and config digests go to stderr.");
    private final RegistryOptions registry;
    private final Stdout stdout;
    private final PositionalParamSpec image = CommandSpecs.image(spec, "alpine:3.19");
    private final OptionSpec pretty = CommandSpecs.flag(
            spec, "Indent the JSON for reading (the bytes then no longer match the digest).", "--pretty");

    ConfigCommand(Function<String, String> env, Stdout stdout) {
        registry = RegistryOptions.with(spec, env, RegistryOptions.Extra.PLATFORM);
        this.stdout = stdout;
        CommandSpecs.examples(
                spec,
                "  regx config alpine:3.19 | jq .config.Env",
                "  regx config --pretty --platform linux/arm64 alpine:3.19");
    }

    @Override
    public Integer call() throws IOException {
        ImageReference ref = registry.reference(image.getValue());
        RegistryClient client = registry.client(ref);
        ManifestSelection selection = client.select(ref, registry.platform());
        Descriptor config = selection.manifest().config();
        byte[] bytes = client.blob(ref, config);
        PrintWriter err = spec.commandLine().getErr();
        err.println(ResolvedSummary.of(ref, selection) + ", config " + config.digest());
        err.flush();
        RawDocument.print(bytes, "config " + config.digest(), CommandSpecs.isSet(pretty), stdout);
        return ExitCode.OK.code();
    }
}
