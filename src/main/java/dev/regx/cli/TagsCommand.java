package dev.regx.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.regx.layer.SafeText;
import dev.regx.registry.ImageReference;
import dev.regx.registry.JsonDocument;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/** {@code regx tags REPOSITORY}: every tag, printed as the registry's pages arrive. */
public final class TagsCommand implements Callable<Integer> {
    final CommandSpec spec = CommandSpecs.command(
            this,
            "tags",
            "List a repository's tags, one per line in the registry's order, following its pages.",
            "Tags are printed as they arrive: a repository with many thousands streams.");
    private final RegistryOptions registry;
    private final Stdout stdout;
    private final PositionalParamSpec repository = CommandSpecs.parameter(
            spec, "0", "1", String.class, "REPOSITORY", "Repository, e.g. alpine or ghcr.io/org/img (no tag)");
    private final OptionSpec json = CommandSpecs.flag(spec, "Print one JSON array of strings.", "--json");

    TagsCommand(Function<String, String> env, Stdout stdout) {
        // No --platform: tags belong to the repository, whatever platforms their images are for.
        registry = RegistryOptions.with(spec, env);
        this.stdout = stdout;
        CommandSpecs.examples(spec, "  regx tags alpine", "  regx tags --json ghcr.io/org/img | jq -r '.[]'");
    }

    @Override
    public Integer call() throws IOException {
        ImageReference ref = registry.reference(repository.getValue());
        if (ref.tag().isPresent() || ref.digest().isPresent()) {
            throw new ParameterException(
                    spec.commandLine(),
                    "tags takes a repository, not an image: leave out the "
                            + (ref.digest().isPresent()
                                    ? "@digest"
                                    : ":" + ref.tag().get())
                            + " (e.g. regx tags " + ref.registry() + "/" + ref.repository() + ")");
        }
        PrintWriter out = stdout.text();
        if (!CommandSpecs.isSet(json)) {
            registry.client(ref).tags(ref, tag -> {
                // Escaped: a tag is the registry's text, and one with an ESC or a line break would forge output.
                out.println(SafeText.escape(tag));
                stdout.checkWritten(); // a reader that left (| head) stops the listing
            });
            return ExitCode.OK.code();
        }
        try (JsonGenerator g = JsonDocument.factory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartArray();
            registry.client(ref).tags(ref, tag -> {
                try {
                    g.writeString(tag);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                stdout.checkWritten();
            });
            g.writeEndArray();
        }
        out.println();
        return ExitCode.OK.code();
    }
}
