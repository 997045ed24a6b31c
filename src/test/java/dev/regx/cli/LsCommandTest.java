package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.regx.testing.Compression;
import dev.regx.testing.Digests;
import dev.regx.testing.Fixtures.Formats;
import dev.regx.testing.Layer;
import dev.regx.testing.LayerBuilder;
import dev.regx.testing.PushedImage;
import dev.regx.testing.RegistryPusher;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.SharedRegistry;
import dev.regx.testing.TestImage;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code regx ls} against a real registry, on layers built with every odd kind of tar entry. */
@RequiresRegistry
class LsCommandTest {
    private static SharedRegistry shared;
    private static PushedImage formats;

    @TempDir
    Path home;

    @BeforeAll
    static void registry() {
        shared = SharedRegistry.get();
        formats = shared.fixtures().formats();
    }

    private CommandRun regx(String... args) {
        return CommandRun.run(home, args);
    }

    private static List<JsonNode> jsonLines(String out) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.split("\n")) {
            nodes.add(mapper.readTree(line));
        }
        return nodes;
    }

    @Test
    void helpShowsTheOptionalIndexAndPathOnceEachAndWholeSentences() {
        CommandRun run = regx("ls", "--help");

        assertThat(run.exitCode()).isZero();
        // The synopsis: the "Usage:" line and its indented continuation lines, however picocli wraps it.
        List<String> lines = run.out().lines().toList();
        StringBuilder joined = new StringBuilder(lines.get(0));
        for (int i = 1; i < lines.size() && lines.get(i).startsWith(" "); i++) {
            joined.append(' ').append(lines.get(i).strip());
        }
        String synopsis = joined.toString();
        assertThat(synopsis).endsWith(" IMAGE [IDX] [PATH]");
        assertThat(run.out())
                .doesNotContain("[[IDX]")
                .contains(
                        "Without IDX (or with --merged): the image's final file system, every layer\napplied in order, each");
    }

    @Test
    void listsAGzipLayerAsTarTvWouldInArchiveOrder() {
        CommandRun run = regx("ls", formats.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<String> lines = run.out().lines().toList();
        Layer layer = formats.image().layer(0).layer();
        assertThat(lines).hasSize(layer.entries().size());
        assertThat(lines.get(0)).matches("drwxr-xr-x 0/0 +0 2024-03-01 12:00 etc/");
        assertThat(lines)
                .contains(
                        "-rwsr-xr-x 0/0              20 2024-03-01 12:00 usr/bin/su-like",
                        "-rwxr-sr-x root/tty         20 2024-03-01 12:00 usr/bin/wall-like",
                        "drwxrwxrwt 0/0               0 2024-03-01 12:00 tmp/",
                        "lrwxrwxrwx 0/0               0 2024-03-01 12:00 usr/bin/tool-link -> tool",
                        "hrw-r--r-- 0/0               0 2024-03-01 12:00 usr/bin/tool-hardlink link to usr/bin/tool",
                        "-rw-r--r-- alice/staff      14 2024-03-01 12:00 usr/share/owned-by-alice",
                        "-rw-r--r-- 0/0               6 1970-01-01 00:00 usr/share/mtime-1970",
                        "-rw-r--r-- 0/0               7 2100-01-01 00:00 usr/share/mtime-2100",
                        "-rw-r--r-- 3000000/3000000   8 2024-03-01 12:00 usr/share/big-uid-pax");
        assertThat(lines).anyMatch(l -> l.endsWith(" " + Formats.LONG_NAME_PAX));
        assertThat(lines).anyMatch(l -> l.endsWith(" " + Formats.UNICODE_NAME));
    }

    @Test
    void controlCharactersInNamesAreEscapedSoTheyCannotForgeLinesOrMoveTheCursor() {
        CommandRun run = regx("ls", formats.reference(), "0");

        assertThat(run.out())
                .doesNotContain("\u001b")
                .contains("usr/share/esc-\\033[31mred\\033[0m.txt")
                .contains("usr/share/new\\nline.txt");
        assertThat(run.out().lines())
                .hasSize(formats.image().layer(0).layer().entries().size());
    }

    @Test
    void jsonCarriesExactNamesAndEveryField() throws Exception {
        CommandRun run = regx("ls", "--json", formats.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<JsonNode> entries = jsonLines(run.out());
        assertThat(entries)
                .extracting(n -> n.path("path").asText())
                .contains(Formats.NEWLINE_NAME, Formats.ESCAPE_NAME, Formats.UNICODE_NAME, Formats.LONG_NAME_PAX);
        JsonNode setuid = entries.stream()
                .filter(n -> n.path("path").asText().equals(Formats.SETUID_FILE))
                .findFirst()
                .orElseThrow();
        assertThat(setuid.path("type").asText()).isEqualTo("file");
        assertThat(setuid.path("mode").asText()).isEqualTo("4755");
        assertThat(setuid.path("size").asLong()).isEqualTo(20);
        assertThat(setuid.path("mtime").asText()).isEqualTo("2024-03-01T12:00:00Z");
        assertThat(setuid.path("layer").asInt()).isZero();
        JsonNode link = entries.stream()
                .filter(n -> n.path("path").asText().equals("usr/bin/tool-link"))
                .findFirst()
                .orElseThrow();
        assertThat(link.path("type").asText()).isEqualTo("symlink");
        assertThat(link.path("link").asText()).isEqualTo("tool");
    }

    @Test
    void zstdLayerListsDevicesFifosAndGnuLongNames() {
        CommandRun run = regx("ls", formats.reference(), "1");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines())
                .contains(
                        "crw-rw---- 0/0             1,3 2024-03-01 12:00 dev/null",
                        "brw-rw---- 0/0             8,0 2024-03-01 12:00 dev/sda",
                        "prw-r--r-- 0/0               0 2024-03-01 12:00 dev/initctl",
                        "-rw-r--r-- 0/0               0 2024-03-01 12:00 var/cache/.wh.old.txt [whiteout: deletes var/cache/old.txt]");
        assertThat(run.out())
                .contains(
                        Formats.LONG_NAME_GNU,
                        "opt/long-link-gnu -> " + Formats.LONG_LINK_TARGET,
                        "opt/hardlink-to-long-name link to " + Formats.LONG_NAME_GNU);
    }

    @Test
    void uncompressedLayerShowsWhiteoutsAndOpaqueMarkersForWhatTheyMean() {
        CommandRun run = regx("ls", formats.reference(), "2");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out())
                .contains(
                        "etc/app/conf.d/.wh..wh..opq [opaque: hides lower layers' contents of etc/app/conf.d/]",
                        "usr/share/.wh.doc [whiteout: deletes usr/share/doc]");
    }

    @Test
    void mergedViewAppliesWhiteoutsAndOpaqueDirectoriesAndTagsEachEntryWithItsLayer() throws Exception {
        CommandRun run = regx("ls", "--json", formats.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<JsonNode> entries = jsonLines(run.out());
        List<String> paths = entries.stream().map(n -> n.path("path").asText()).toList();
        assertThat(paths)
                .doesNotContain(Formats.WHITED_OUT_FILE, "usr/share/doc", "usr/share/doc/README")
                .doesNotContainAnyElementsOf(Formats.HIDDEN_BY_OPAQUE)
                .contains(Formats.ADDED_UNDER_OPAQUE, "dev/null", Formats.SETUID_FILE);
        assertThat(entries).noneMatch(n -> !n.path("whiteout").isNull());
        JsonNode replaced = entries.stream()
                .filter(n -> n.path("path").asText().equals(Formats.REPLACED_FILE))
                .findFirst()
                .orElseThrow();
        assertThat(replaced.path("layer").asInt()).isEqualTo(2);
        assertThat(replaced.path("size").asLong()).isEqualTo(Formats.REPLACED_CONTENT.length());

        CommandRun text = regx("ls", formats.reference(), "etc/app/conf.d");
        assertThat(text.out().lines())
                .containsExactly("2  -rw-r--r-- 0/0               4 2024-03-01 12:00 etc/app/conf.d/c.conf");
    }

    @Test
    void pathShowsADirectorysChildrenRecursiveShowsItsSubtreeAndAFileShowsItself() {
        CommandRun children = regx("ls", formats.reference(), "0", "/usr/bin/");
        assertThat(children.out().lines())
                .extracting(l -> l.substring(l.indexOf("12:00 ") + 6))
                .containsExactly(
                        "usr/bin/tool",
                        "usr/bin/su-like",
                        "usr/bin/wall-like",
                        "usr/bin/tool-link -> tool",
                        "usr/bin/tool-hardlink link to usr/bin/tool");

        CommandRun subtree = regx("ls", "-R", formats.reference(), "0", "etc");
        assertThat(subtree.out().lines()).hasSize(5).allMatch(l -> l.contains(" etc/"));

        CommandRun file = regx("ls", formats.reference(), "0", "usr/share/mtime-1980");
        assertThat(file.out().lines())
                .containsExactly("-rw-r--r-- 0/0              10 1980-01-01 00:00 usr/share/mtime-1980");
    }

    @Test
    void sortBySizeIsLargestFirstWithEmptyEntriesLast() {
        CommandRun run = regx("ls", "--sort=size", formats.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        List<Long> sizes = run.out()
                .lines()
                .map(l -> Long.parseLong(l.substring(10).trim().split(" +")[1]))
                .toList();
        List<Long> sorted = new ArrayList<>(sizes);
        sorted.sort((a, b) -> Long.compare(b, a));
        assertThat(sizes).isEqualTo(sorted);
        assertThat(sizes.get(0)).isEqualTo(707);
        assertThat(sizes.get(sizes.size() - 1)).isZero();

        CommandRun human = regx("ls", "--sort=size", "-H", formats.reference(), "0");
        assertThat(human.out().lines().findFirst().orElseThrow()).contains(" 707 ", "usr/bin/tool");
    }

    @Test
    void layerIndexOutOfRangeIsNotFound() {
        CommandRun run = regx("ls", formats.reference(), "7");
        assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.errLines()).singleElement().asString().contains("no layer 7");
    }

    @Test
    void aPathThatMatchesNothingIsExit3NamingThePathTheLayerAndTheImage() {
        CommandRun run = regx("ls", formats.reference(), "0", "usr/nosuch");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(run.out()).isEmpty();
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .startsWith("regx: usr/nosuch: no such file or directory in layer 0 of " + formats.reference() + ";")
                .endsWith(" regx ls " + formats.reference() + " 0 usr/");

        CommandRun sorted = regx("ls", "--sort=size", formats.reference(), "0", "/nosuch/");
        assertThat(sorted.exitCode()).as(sorted.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(sorted.errLines())
                .singleElement()
                .asString()
                .startsWith("regx: nosuch: no such file or directory in layer 0")
                .endsWith(" regx ls " + formats.reference() + " 0 /");
    }

    @Test
    void aPathWhoseParentIsMissingTooSuggestsTheNearestDirectoryThatExists() {
        CommandRun layer = regx("ls", formats.reference(), "0", "usr/nope/deeper");
        assertThat(layer.exitCode()).as(layer.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(layer.errLines())
                .singleElement()
                .asString()
                .contains("see what usr/, the nearest directory above it that exists, holds with:")
                .endsWith(" regx ls " + formats.reference() + " 0 usr/");

        CommandRun merged = regx("ls", formats.reference(), "nope/deeper/still");
        assertThat(merged.exitCode()).as(merged.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(merged.errLines())
                .singleElement()
                .asString()
                .contains("see what /, the nearest directory above it that exists, holds with:")
                .endsWith(" regx ls " + formats.reference() + " /");
    }

    @Test
    void aPathMissingFromTheMergedViewOrDeletedThereByAWhiteoutIsExit3() {
        CommandRun typo = regx("ls", formats.reference(), "etc/nosuch");
        assertThat(typo.exitCode()).as(typo.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(typo.out()).isEmpty();
        assertThat(typo.errLines())
                .singleElement()
                .asString()
                .startsWith("regx: etc/nosuch: no such file or directory in the merged view of " + formats.reference())
                .endsWith(" regx ls " + formats.reference() + " etc/");

        for (String deleted :
                List.of(Formats.WHITED_OUT_DIR, Formats.WHITED_OUT_FILE, Formats.HIDDEN_BY_OPAQUE.get(0))) {
            CommandRun merged = regx("ls", "-R", formats.reference(), deleted);
            assertThat(merged.exitCode()).as(merged.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
            assertThat(merged.out()).isEmpty();
            assertThat(merged.errLines())
                    .singleElement()
                    .asString()
                    .contains("the merged view", "deleted by a later layer");
        }
        CommandRun inItsOwnLayer = regx("ls", formats.reference(), "0", Formats.WHITED_OUT_DIR);
        assertThat(inItsOwnLayer.exitCode()).as(inItsOwnLayer.toString()).isZero();
        assertThat(inItsOwnLayer.out().lines()).singleElement().asString().endsWith(" usr/share/doc/README");
    }

    @Test
    void anEmptyDirectoryThatExistsListsNothingAndSucceeds() {
        for (String[] args : List.of(
                new String[] {formats.reference(), "0", Formats.STICKY_DIR},
                new String[] {formats.reference(), "tmp"},
                new String[] {"-R", formats.reference(), "0", "/tmp"})) {
            List<String> argv = new ArrayList<>(List.of("ls"));
            argv.addAll(List.of(args));
            CommandRun run = regx(argv.toArray(String[]::new));
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).as(run.toString()).isEmpty();
            assertThat(run.err()).as(run.toString()).isEmpty();
        }
        // A directory whose own entry comes from one layer and contents from another exists in the merged view too.
        CommandRun opaque = regx("ls", formats.reference(), Formats.OPAQUE_DIR);
        assertThat(opaque.exitCode()).as(opaque.toString()).isZero();
        assertThat(opaque.out().lines()).singleElement().asString().endsWith(" " + Formats.ADDED_UNDER_OPAQUE);
    }

    @Test
    void anArgumentThatLooksLikeAnIntegerIsAlwaysTheLayerIndex() {
        CommandRun plus = regx("ls", formats.reference(), "+1");
        assertThat(plus.exitCode()).as(plus.toString()).isZero();
        assertThat(plus.out())
                .isEqualTo(regx("ls", formats.reference(), "1").out())
                .contains("dev/null");

        CommandRun negative = regx("ls", formats.reference(), "-1");
        assertThat(negative.exitCode()).as(negative.toString()).isEqualTo(ExitCode.USAGE.code());
        assertThat(negative.out()).isEmpty();
        assertThat(negative.errLines()).singleElement().asString().contains("layer index -1 is negative", "--merged");

        CommandRun huge = regx("ls", formats.reference(), "99999999999999999999", "etc");
        assertThat(huge.exitCode()).as(huge.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(huge.errLines())
                .singleElement()
                .asString()
                .contains("has 3 layers (0 to 2); there is no layer 99999999999999999999");

        for (String notAnInteger : List.of("x", "1.0", "0x1")) {
            CommandRun path = regx("ls", formats.reference(), notAnInteger);
            assertThat(path.exitCode()).as(path.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
            assertThat(path.errLines())
                    .singleElement()
                    .asString()
                    .startsWith("regx: " + notAnInteger + ": no such file or directory in the merged view");
        }
        CommandRun merged = regx("ls", "--merged", formats.reference(), "1");
        assertThat(merged.exitCode()).as(merged.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(merged.errLines())
                .singleElement()
                .asString()
                .startsWith("regx: 1: no such file or directory in the merged view");
    }

    @Test
    void truncatedGzipIsACorruptLayerAfterTheEntriesBeforeTheDamageArePrinted() throws Exception {
        byte[] tar = new LayerBuilder()
                .file("a.txt", "x".repeat(100))
                .file("b.bin", randomBytes(300_000))
                .file("c.txt", "c")
                .tar();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        byte[] cut = Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
        PushedImage broken = push("broken/truncated", cut);

        CommandRun run = regx("ls", broken.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.CORRUPT_LAYER.code());
        assertThat(run.out()).contains("a.txt");
        assertThat(run.errLines()).singleElement().asString().contains("corrupt or truncated");
    }

    @Test
    void aBlobWhoseBytesAreNotWhatTheManifestNamesIsExit9EvenWhenTheTarBreaksToo() throws Exception {
        byte[] promised = new LayerBuilder()
                .file("a.txt", "a".repeat(5000))
                .file("b.bin", randomBytes(300_000))
                .file("c.txt", "c")
                .build(Compression.GZIP)
                .bytes();
        // Still a sound gzip of the same tar (only the header's MTIME differs), so every entry lists.
        byte[] otherMtime = promised.clone();
        otherMtime[4] ^= 1;
        // Damaged in the middle of the deflate stream: the reader fails long before the end of the blob.
        byte[] damaged = promised.clone();
        for (int i = 40; i < 60; i++) {
            damaged[i] ^= (byte) 0x5a;
        }
        for (byte[] served : List.of(damaged, otherMtime)) {
            try (WrongBlobRegistry wrong = WrongBlobRegistry.serving(promised, served)) {
                CommandRun run = regx("ls", wrong.reference(), "0");

                assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.DIGEST_MISMATCH.code());
                assertThat(run.errLines())
                        .as(run.toString())
                        .singleElement()
                        .asString()
                        .contains("has digest " + Digests.sha256(served) + ", not " + Digests.sha256(promised));

                CommandRun merged = regx("ls", wrong.reference());
                assertThat(merged.exitCode()).as(merged.toString()).isEqualTo(ExitCode.DIGEST_MISMATCH.code());
            }
        }
    }

    @Test
    void aBlobTheRegistryHoldsShorterThanItsDescriptorSaysIsExit9() {
        byte[] blob =
                new LayerBuilder().file("a.txt", "a").build(Compression.GZIP).bytes();
        // A real registry checks digests on upload but not the sizes a manifest claims for them.
        Layer claimsMore = new Layer(
                Compression.GZIP,
                Digests.sha256(blob),
                blob.length + 5,
                Digests.sha256(blob),
                blob.length,
                List.of(),
                blob,
                null);
        PushedImage image = new RegistryPusher(shared.registry())
                .push(
                        "broken/short",
                        "latest",
                        TestImage.docker()
                                .layer(claimsMore, "size claimed wrong")
                                .build());

        CommandRun run = regx("ls", image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.DIGEST_MISMATCH.code());
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains("the registry served " + blob.length + " bytes where the manifest says " + (blob.length + 5));
    }

    @Test
    void entriesListedBeforeTheDamageComeOutBeforeTheErrorLineWhenBothShareATerminal() throws Exception {
        byte[] tar = new LayerBuilder()
                .file("a.txt", "x".repeat(100))
                .file("b.bin", randomBytes(300_000))
                .file("c.txt", "c")
                .tar();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        PushedImage broken = push("broken/truncated-order", Arrays.copyOf(gz.toByteArray(), gz.size() / 2));
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        java.util.Map<String, String> env = java.util.Map.of("DOCKER_CONFIG", home.toString(), "HOME", home.toString());

        int code = RegxCommand.execute(
                env::get,
                terminal,
                new java.io.PrintWriter(new java.io.OutputStreamWriter(terminal, StandardCharsets.UTF_8), true),
                "ls",
                broken.reference(),
                "0");

        assertThat(code).isEqualTo(ExitCode.CORRUPT_LAYER.code());
        List<String> lines = terminal.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSizeGreaterThan(1);
        assertThat(lines.get(0)).endsWith(" a.txt");
        assertThat(lines.get(lines.size() - 1)).startsWith("regx: ").contains("corrupt or truncated");
    }

    /** A layer whose listing (some 300 KB) is far more than stdout buffers (64K chars), so writing it fails mid-way. */
    private static PushedImage sixThousandFiles() throws Exception {
        LayerBuilder many = new LayerBuilder();
        for (int i = 0; i < 6000; i++) {
            many.file("many/file-" + i, "x");
        }
        return new RegistryPusher(shared.registry())
                .push(
                        "pipe/many",
                        "latest",
                        TestImage.docker()
                                .layer(many.build(Compression.GZIP), "six thousand files")
                                .build());
    }

    @Test
    void aReaderThatStopsReadingStopsTheListingSilentlyWithTheSigpipeStatus() throws Exception {
        PushedImage image = sixThousandFiles();
        FailingStdout head = FailingStdout.brokenPipeAfter(1000);

        CommandRun run = CommandRun.run(home, head, "ls", image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OUTPUT_CLOSED.code());
        assertThat(run.err()).isEmpty();
        assertThat(run.out()).hasSize(1000);
        assertThat(run.out().lines()).first().asString().endsWith(" many/file-0");
        assertThat(head.callsAfterFailure).as("writes after the reader left").isZero();
    }

    @Test
    void aDiskThatFillsUpMidListingIsExit12WithTheReasonNotTheSigpipeStatus() throws Exception {
        PushedImage image = sixThousandFiles();
        FailingStdout disk = FailingStdout.fullDiskAfter(1000);

        CommandRun run = CommandRun.run(home, disk, "ls", image.reference(), "0");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
        assertThat(run.err())
                .isEqualTo("regx: cannot write to standard output: No space left on device; "
                        + "free some space or write elsewhere\n");
        assertThat(run.out()).hasSize(1000);
        assertThat(disk.callsAfterFailure).as("writes after the disk was full").isZero();
    }

    @Test
    void aShortListingOnAFullDiskIsExit12() {
        for (String[] args : List.of(
                new String[] {"ls", formats.reference(), "0"},
                new String[] {"ls", "--json", formats.reference(), "0"})) {
            CommandRun run = CommandRun.run(home, FailingStdout.fullDiskAfter(0), args);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.LOCAL_IO.code());
            assertThat(run.err())
                    .as(run.toString())
                    .isEqualTo("regx: cannot write to standard output: No space left on device; "
                            + "free some space or write elsewhere\n");
        }
    }

    @Test
    void aShortListingWhoseReaderLeftIsTheSigpipeStatusAndSilent() {
        for (String[] args : List.of(
                new String[] {"ls", formats.reference(), "0"},
                new String[] {"ls", "--json", formats.reference(), "0"})) {
            CommandRun run = CommandRun.run(home, FailingStdout.brokenPipeAfter(10), args);

            assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.OUTPUT_CLOSED.code());
            assertThat(run.err()).as(run.toString()).isEmpty();
        }
    }

    @Test
    void aBlobThatIsNotATarSaysWhatItLooksLike() throws Exception {
        PushedImage json = push("broken/notatar", "{\"this\": \"is json\"}".getBytes(StandardCharsets.UTF_8));

        CommandRun run = regx("ls", json.reference(), "0");

        assertThat(run.exitCode()).isEqualTo(ExitCode.CORRUPT_LAYER.code());
        assertThat(run.errLines()).singleElement().asString().contains("not a tar", "JSON");
    }

    @Test
    void foreignLayerIsReadFromItsUrlAndAClearErrorWhenTheUrlDoesNotAnswer() throws Exception {
        Layer layer = new LayerBuilder()
                .file("Windows/System32/kernel32.dll", "MZ not really")
                .build(Compression.GZIP);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        List<Boolean> authorizationSeen = new ArrayList<>();
        server.createContext("/foreign/layer.tar.gz", exchange -> {
            authorizationSeen.add(exchange.getRequestHeaders().containsKey("Authorization"));
            exchange.sendResponseHeaders(200, layer.bytes().length);
            exchange.getResponseBody().write(layer.bytes());
            exchange.close();
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/foreign/layer.tar.gz";
        String reference = shared.host() + "/foreign/base:latest";
        try {
            RegistryPusher pusher = new RegistryPusher(shared.registry());
            byte[] config =
                    ("{\"os\":\"windows\",\"architecture\":\"amd64\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                                    + layer.diffId() + "\"]},\"history\":[{\"created_by\":\"foreign base layer\"}]}")
                            .getBytes(StandardCharsets.UTF_8);
            String configDigest = pusher.pushBlob("foreign/base", config);
            String manifest =
                    "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.docker.distribution.manifest.v2+json\","
                            + "\"config\":{\"mediaType\":\"application/vnd.docker.container.image.v1+json\",\"digest\":\""
                            + configDigest
                            + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                            + "\"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip\",\"digest\":\""
                            + layer.digest() + "\",\"size\":"
                            + layer.size() + ",\"urls\":[\"" + url + "\"]}]}";
            pusher.pushManifest(
                    "foreign/base",
                    "latest",
                    "application/vnd.docker.distribution.manifest.v2+json",
                    manifest.getBytes(StandardCharsets.UTF_8));

            CommandRun unasked = regx("ls", reference, "0");
            assertThat(unasked.exitCode()).as(unasked.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
            assertThat(unasked.errLines())
                    .singleElement()
                    .asString()
                    .contains("foreign layer", "1 URL", "--allow-foreign-urls");
            assertThat(authorizationSeen).isEmpty();

            CommandRun run = regx("ls", "--allow-foreign-urls", reference, "0");
            assertThat(run.exitCode()).as(run.toString()).isZero();
            assertThat(run.out()).contains("Windows/System32/kernel32.dll");
            assertThat(authorizationSeen).isNotEmpty().containsOnly(false);
        } finally {
            server.stop(0);
        }
        CommandRun gone = regx("ls", "--allow-foreign-urls", reference, "0");
        assertThat(gone.exitCode()).as(gone.toString()).isEqualTo(ExitCode.NOT_FOUND.code());
        assertThat(gone.errLines()).singleElement().asString().contains("foreign layer", "URLs did not answer");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        long x = 42;
        for (int i = 0; i < n; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            b[i] = (byte) (x >>> 56);
        }
        return b;
    }

    /** Pushes a one-layer image whose layer blob is {@code blob} exactly, labelled as gzip. */
    private static PushedImage push(String repository, byte[] blob) {
        Layer layer = new Layer(
                Compression.GZIP,
                Digests.sha256(blob),
                blob.length,
                Digests.sha256(blob),
                blob.length,
                List.of(),
                blob,
                null);
        TestImage image = TestImage.docker().layer(layer, "broken on purpose").build();
        return new RegistryPusher(shared.registry()).push(repository, "latest", image);
    }
}
