package dev.regx.cli;

import dev.regx.registry.ImageReference;
import dev.regx.registry.client.RegistryClient;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/** {@code regx digest IMAGE}: the manifest digest a reference resolves to. */
public final class DigestCommand implements Callable<Integer> {
    final CommandSpec spec = CommandSpecs.command(
            this,
            "digest",
            "Print the digest of the manifest an image reference resolves to.",
            "For a multi-platform image that is the index's own digest (as `crane digest` and `docker buildx"
                    + " imagetools` print it); with --platform, the digest of that platform's manifest. Asked"
                    + " with HEAD where the registry answers it (Docker Hub does not count a HEAD as a pull).");
    private final RegistryOptions registry;
    private final Stdout stdout;
    private final PositionalParamSpec image = CommandSpecs.image(spec, "alpine:3.19");

    DigestCommand(Function<String, String> env, Stdout stdout) {
        registry = RegistryOptions.with(spec, env, RegistryOptions.Extra.PLATFORM);
        this.stdout = stdout;
        CommandSpecs.examples(
                spec,
                "  regx digest alpine:3.19",
                "  regx digest --platform linux/arm64 alpine:3.19",
                "  docker pull \"alpine@$(regx digest alpine:3.19)\"");
    }

    @Override
    public Integer call() {
        ImageReference ref = registry.reference(image.getValue());
        RegistryClient client = registry.client(ref);
        String digest = registry.platform().isPresent()
                ? client.select(ref, registry.platform()).manifest().digest().toString()
                : client.digest(ref);
        stdout.text().println(digest);
        return ExitCode.OK.code();
    }
}
