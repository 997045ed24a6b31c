package dev.regx.cli;

import dev.regx.files.LayerBlob;
import dev.regx.layer.LayerEntry;
import dev.regx.layer.MergedEntry;
import dev.regx.layer.MergedFileSystem;
import dev.regx.layer.PathFilter;
import dev.regx.registry.ImageReference;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.manifest.ResolvedImage;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code regx ls IMAGE [IDX] [PATH]}: the files in one layer, streamed from the registry and printed as they
 * are read, or, without IDX, the image's merged file system.
 */
public final class LsCommand implements Callable<Integer> {
    final CommandSpec spec = CommandSpecs.command(
            this,
            "ls",
            "List the files inside layer IDX as `tar tv` shows them, streamed from the registry.",
            "Without IDX (or with --merged): the image's final file system, every layer applied in order, "
                    + "each entry tagged with the layer it comes from. PATH limits the listing to a directory's "
                    + "children (-R: its whole subtree) or to one file. Times are UTC.");
    private final RegistryOptions registry;
    private final Stdout stdout;
    private final PositionalParamSpec image = CommandSpecs.image(spec, "alpine:3.19");
    private final PositionalParamSpec rest = CommandSpecs.parameter(
            spec,
            "1..2",
            "0..2",
            List.class,
            "[IDX] [PATH]",
            "Layer index (0 is the base; omit for the merged view; an argument that looks like an integer is"
                    + " always IDX) and a path inside the image (one that matches nothing fails with exit 3).");
    private final OptionSpec merged = CommandSpecs.flag(
            spec,
            "Show the merged file system; the argument after IMAGE is then PATH even if it looks like an index.",
            "--merged");
    private final OptionSpec recursive =
            CommandSpecs.flag(spec, "With PATH: the whole subtree, not just the direct children.", "-R", "--recursive");
    private final OptionSpec sortOption = CommandSpecs.option(
            spec,
            SortOrder.class,
            "ORDER",
            "tar",
            "tar (archive order, streamed), size (largest first, empty last) or name.",
            "--sort");
    private final OptionSpec human = CommandSpecs.flag(spec, "Sizes as 1.5K, 23M, 1.1G.", "-H", "--human-readable");
    private final OptionSpec json = CommandSpecs.flag(
            spec,
            "One JSON object per entry and line: path, type, mode, modeString, uid, gid, uname, gname, size, mtime,"
                    + " link, whiteout, whiteoutTarget, layer (and devMajor, devMinor for devices).",
            "--json");

    LsCommand(Function<String, String> env, Stdout stdout) {
        registry = RegistryOptions.forLayerBlobs(spec, env);
        this.stdout = stdout;
        CommandSpecs.examples(
                spec,
                "  regx ls smoshysmosh/composer:latest 1",
                "  regx ls --sort=size -H smoshysmosh/composer:latest 1 usr/bin",
                "  regx ls smoshysmosh/composer:latest            (merged view)",
                "  regx ls --json alpine:3.19 0 | jq -r .path");
    }

    private SortOrder sort() {
        return sortOption.getValue();
    }

    /** The orders {@code --sort} offers. */
    enum SortOrder {
        tar,
        size,
        name
    }

    @Override
    public Integer call() throws Exception {
        BigInteger index = null;
        String path = null;
        List<String> args = new ArrayList<>(CommandSpecs.strings(rest));
        if (!CommandSpecs.isSet(merged)
                && !args.isEmpty()
                && LayerIndex.INTEGER.matcher(args.get(0)).matches()) {
            // Always an index, never a path: a typo in IDX must not list an empty "directory" of the merged view.
            index = new BigInteger(args.remove(0));
            if (index.signum() < 0) {
                throw new ParameterException(
                        spec.commandLine(),
                        LayerIndex.negative(index)
                                + "; a PATH that looks like a number needs --merged or an IDX before it");
            }
        }
        if (args.size() > 1) {
            throw new ParameterException(
                    spec.commandLine(), "expected IMAGE [IDX] [PATH], got extra argument \"" + args.get(1) + "\"");
        }
        if (!args.isEmpty()) {
            path = args.get(0);
        }
        boolean recursive = CommandSpecs.isSet(this.recursive);
        if (recursive && path == null) {
            throw new ParameterException(spec.commandLine(), "-R needs a PATH (without one, every entry is listed)");
        }
        PathFilter filter = path == null ? PathFilter.all() : PathFilter.of(path, recursive);
        ImageReference ref = registry.reference(image.getValue());
        RegistryClient client = registry.client(ref);
        ResolvedImage resolved = registry.resolve(client, ref);
        EntryPrinter printer = new EntryPrinter(stdout, CommandSpecs.isSet(json), CommandSpecs.isSet(human));
        String missing;
        if (index != null) {
            missing = listLayer(client, resolved, LayerIndex.select(resolved, index), filter, printer);
        } else {
            missing = listMerged(client, resolved, filter, printer);
        }
        if (missing != null) {
            throw MissingPath.failure(
                    resolved.reference(), index == null ? null : index.intValue(), filter.path(), missing);
        }
        return ExitCode.OK.code();
    }

    /**
     * Lists one layer; returns null when PATH is in it (an empty directory is, though it lists nothing), else the
     * deepest directory above PATH that is.
     */
    private String listLayer(
            RegistryClient client, ResolvedImage image, ImageLayer layer, PathFilter filter, EntryPrinter printer) {
        boolean[] found = {filter.path().isEmpty()};
        ExistingAncestor ancestor = found[0] ? null : new ExistingAncestor(filter.path());
        List<LayerEntry> entries = new ArrayList<>();
        read(client, image, layer, e -> {
            if (!found[0]) {
                found[0] = filter.isPathOrBelow(e.path());
                ancestor.saw(e.path());
            }
            if (!filter.accepts(e)) {
                return;
            }
            if (sort() == SortOrder.tar) {
                printer.print(e, layer.index(), false);
            } else {
                entries.add(e);
            }
        });
        entries.sort(comparator(LayerEntry::size, LayerEntry::path));
        entries.forEach(e -> printer.print(e, layer.index(), false));
        return found[0] ? null : ancestor.path();
    }

    /**
     * Lists the merged view; returns null when PATH is in it (not deleted by a whiteout, not missing), else the
     * deepest directory above PATH that is.
     */
    private String listMerged(RegistryClient client, ResolvedImage image, PathFilter filter, EntryPrinter printer) {
        MergedFileSystem fs = new MergedFileSystem();
        for (ImageLayer layer : image.layers()) {
            read(client, image, layer, e -> fs.apply(layer.index(), e));
        }
        List<MergedEntry> entries = new ArrayList<>(fs.list(filter));
        if (sort() == SortOrder.size) {
            entries.sort(comparator(m -> m.entry().size(), MergedEntry::path));
        }
        entries.forEach(m -> printer.print(m.entry(), m.layerIndex(), true));
        return !entries.isEmpty() || fs.contains(filter.path())
                ? null
                : ExistingAncestor.deepest(filter.path(), fs::contains);
    }

    /** Largest first and empty last for {@code size}; tree order by path for {@code name} and ties. */
    private <T> Comparator<T> comparator(
            java.util.function.ToLongFunction<T> size, java.util.function.Function<T, String> path) {
        Comparator<T> byPath = Comparator.comparing(path, MergedFileSystem.PATH_ORDER);
        return sort() == SortOrder.size
                ? Comparator.comparingLong(size).reversed().thenComparing(byPath)
                : byPath;
    }

    private static void read(
            RegistryClient client,
            ResolvedImage image,
            ImageLayer layer,
            java.util.function.Consumer<LayerEntry> action) {
        LayerBlob.read(client, image.reference(), layer, (entry, content) -> {
            action.accept(entry);
            return true;
        });
    }
}
