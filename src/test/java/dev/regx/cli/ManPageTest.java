package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.asciidoctor.Asciidoctor;
import org.asciidoctor.Attributes;
import org.asciidoctor.Options;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * The man pages in {@code completions/man} ({@code regx.1} and one {@code regx-COMMAND.1} per command) are
 * generated from the command model, as the bash completion is: picocli-codegen's {@link ManPageGenerator}
 * writes AsciiDoc from each command's spec, Asciidoctor's manpage backend turns it into troff. This fails
 * when a command, option, description, example or exit code changed without regenerating them. Regenerate
 * with {@code mvn test -Dtest=ManPageTest -Dregx.updateManPages=true}.
 */
class ManPageTest {
    private static final Path DIRECTORY = Path.of("completions", "man");
    private static final int SYNOPSIS_WIDTH = 78;

    /** File name to troff, for regx and every command it has (picocli's own {@code help} aside). */
    private static Map<String, String> generated;

    @BeforeAll
    static void generate() throws IOException {
        CommandSpec regx = RegxCommand.commandLine().getCommandSpec();
        regx.removeSubcommand("help");
        List<CommandSpec> specs = new ArrayList<>();
        specs.add(regx);
        // A page is read alone: each has the exit codes, which a command's --help leaves to regx --help.
        regx.subcommands().values().forEach(sub -> {
            CommandSpecs.exitCodes(sub.getCommandSpec());
            specs.add(sub.getCommandSpec());
        });
        generated = new LinkedHashMap<>();
        try (Asciidoctor asciidoctor = Asciidoctor.Factory.create()) {
            for (CommandSpec spec : specs) {
                String page = spec.qualifiedName("-");
                generated.put(page + ".1", asciidoctor.convert(asciiDoc(spec, regx), troffOptions()));
            }
        }
        if (Boolean.getBoolean("regx.updateManPages")) {
            Files.createDirectories(DIRECTORY);
            try (Stream<Path> old = Files.list(DIRECTORY)) {
                for (Path stale : old.collect(Collectors.toList())) {
                    Files.delete(stale);
                }
            }
            for (Map.Entry<String, String> page : generated.entrySet()) {
                Files.writeString(DIRECTORY.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
            }
        }
    }

    @Test
    void manPagesMatchTheCommandModel() throws IOException {
        List<String> committed;
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            committed = files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
        }
        assertThat(committed)
                .as("completions/man has other pages than the commands: regenerate them with "
                        + "mvn test -Dtest=ManPageTest -Dregx.updateManPages=true")
                .containsExactlyInAnyOrderElementsOf(generated.keySet());
        for (Map.Entry<String, String> page : generated.entrySet()) {
            assertThat(Files.readString(DIRECTORY.resolve(page.getKey()), StandardCharsets.UTF_8))
                    .as("completions/man/" + page.getKey() + " is stale: regenerate the pages with "
                            + "mvn test -Dtest=ManPageTest -Dregx.updateManPages=true")
                    .isEqualTo(page.getValue());
        }
    }

    @Test
    void everyCommandHasAPageWithItsExitCodesAndExamples() {
        assertThat(generated.keySet())
                .containsExactlyInAnyOrder(
                        "regx.1",
                        "regx-layers.1",
                        "regx-ls.1",
                        "regx-cat.1",
                        "regx-extract.1",
                        "regx-save.1",
                        "regx-manifest.1",
                        "regx-config.1",
                        "regx-platforms.1",
                        "regx-tags.1",
                        "regx-digest.1");
        for (Map.Entry<String, String> page : generated.entrySet()) {
            assertThat(page.getValue())
                    .as(page.getKey())
                    .contains(".SH \"EXIT CODES\"", "does not match its digest", "interrupted (Ctrl\\-C)");
            if (!page.getKey().equals("regx.1")) {
                assertThat(page.getValue()).as(page.getKey()).contains(".SH \"EXAMPLES\"", ".SH \"OPTIONS\"");
            }
        }
    }

    @Test
    void regxPageListsTheCommandsTheirPagesAndTheEnvironment() {
        assertThat(generated.get("regx.1"))
                .contains(".SH \"ENVIRONMENT\"", "DOCKER_CONFIG", "HTTPS_PROXY", "NO_PROXY", "REGX_JAVA_OPTS")
                .contains(".SH \"SEE ALSO\"", "\\fBregx\\-layers\\fP(1)", "\\fBregx\\-digest\\fP(1)")
                .doesNotContain("xref:", ".adoc");
    }

    @Test
    void synopsisIsPlainTextWrappedBetweenOptions() {
        String layers = generated.get("regx-layers.1");
        String synopsis = layers.substring(layers.indexOf(".SH \"SYNOPSIS\""), layers.indexOf(".SH \"DESCRIPTION\""));
        assertThat(synopsis)
                .contains("\\-\\-platform=OS/ARCH[/VARIANT]", "\\-\\-insecure=HOST[:PORT][,HOST[:PORT]...]")
                .doesNotContain("_", "\\fI]");
    }

    private static Options troffOptions() {
        // No date and no version ("regx dev" in tests): a page regenerated on another day or at another version
        // would differ from the committed one for nothing.
        return Options.builder()
                .backend("manpage")
                .standalone(true)
                .attributes(Attributes.builder()
                        .attribute("mansource", "regx")
                        .attribute("manmanual", "regx manual")
                        .attribute("docdate", "")
                        .build())
                .build();
    }

    /**
     * {@code spec}'s page as ManPageGenerator writes it, with what it gets wrong for regx fixed: its synopsis
     * marks labels such as {@code [/VARIANT]} up as AsciiDoc (where a bracket before an emphasis is an
     * attribute list) and breaks inside a label; help headings keep their colon; commands are links to
     * {@code .adoc} files where a man page names other pages under SEE ALSO.
     */
    private static String asciiDoc(CommandSpec spec, CommandSpec regx) {
        StringWriter out = new StringWriter();
        ManPageGenerator.writeSingleManPage(new PrintWriter(out), spec);
        String page = out.toString();
        String synopsisStart = "// tag::picocli-generated-man-section-synopsis[]\n";
        String synopsisEnd = "// end::picocli-generated-man-section-synopsis[]\n";
        int start = page.indexOf(synopsisStart) + synopsisStart.length();
        int end = page.indexOf(synopsisEnd);
        page = page.substring(0, start) + "== Synopsis\n\n....\n" + WrappedSynopsis.wrap(spec, 0, SYNOPSIS_WIDTH)
                + "....\n\n" + page.substring(end);
        // A page has its exit codes: the pointer a command's --help ends with has no place there.
        page = page.replace(CommandSpecs.EXIT_CODES_POINTER, "")
                .replaceAll("(?m)^==\\s+(.*?):$", "== $1")
                .replaceAll("xref:[^\\[]+\\[([^\\]]*)\\]", "$1")
                .replace(":revnumber:", ":revnumber!:");
        if (spec == regx) {
            String seeAlso = regx.subcommands().keySet().stream()
                    .map(name -> "*regx-" + name + "*(1)")
                    .collect(Collectors.joining(", "));
            String pageEnd = "// end::picocli-generated-full-manpage[]";
            page = page.replace(pageEnd, "== See also\n\n" + seeAlso + "\n\n" + pageEnd);
        }
        return page;
    }
}
