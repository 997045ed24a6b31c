package dev.regx.cli;

import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryClient;
import dev.regx.registry.blob.BlobFetcher;
import dev.regx.registry.blob.BlobSink.LocalWriteException;
import dev.regx.registry.blob.FetchProgress;
import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.manifest.ResolvedImage;
import dev.regx.save.LayerFileName;
import dev.regx.save.LayerSaver;
import dev.regx.save.OutputDirectory;
import dev.regx.save.StreamSink;
import dev.regx.save.TargetExistsException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParameterException;

/** {@code regx save IMAGE IDX}: download one layer's blob (or all with {@code --all}) to a file. */
public final class SaveCommand implements Callable<Integer> {
    final CommandSpec spec = CommandSpecs.command(
            this,
            "save",
            "Download a layer's blob to NAMESPACE-REPO-TAG-IDX.EXT in the current directory.",
            "EXT follows the media type: .tar.gzip, .tar.zst, .tar, or .bin for anything else. "
                    + "Bytes are verified against the layer's digest before the file gets its name; an interrupted "
                    + "download leaves NAME.part, which the same command resumes.");
    private final RegistryOptions registry;
    private final Stdout stdout;
    private final PositionalParamSpec image = CommandSpecs.parameter(
            spec, "0", "1", String.class, "IMAGE", "Image reference, e.g. smoshysmosh/composer:latest");
    private final PositionalParamSpec indexParameter = CommandSpecs.parameter(
            spec, "1", "0..1", String.class, "IDX", "Layer index as `regx layers` shows it (0 is the base).");
    private final OptionSpec allOption = CommandSpecs.flag(spec, "Save every layer, each under its own name.", "--all");
    private final OptionSpec outputOption = CommandSpecs.option(
            spec,
            String.class,
            "PATH",
            null,
            "Write to PATH instead. A directory keeps the default name; a PATH ending in / names one, created with"
                    + " its parents if missing. - writes the blob to stdout; a device or FIFO (/dev/null, a named pipe) is"
                    + " written to directly.",
            "-o",
            "--output");
    private final OptionSpec forceOption =
            CommandSpecs.flag(spec, "Replace an existing file that has other content.", "-f", "--force");
    private final OptionSpec jobsOption = CommandSpecs.option(
            spec,
            int.class,
            "N",
            "3",
            "Layers downloaded at once with --all (default: ${DEFAULT-VALUE}).",
            "-j",
            "--jobs");
    private final OptionSpec progressOption = CommandSpecs.option(
            spec,
            ProgressMode.class,
            "WHEN",
            "auto",
            "Progress bar on stderr: ${COMPLETION-CANDIDATES} (default: auto, only on a terminal).",
            "--progress");
    private final OptionSpec quietOption =
            CommandSpecs.flag(spec, "No progress and no summary lines on stderr.", "-q", "--quiet");

    SaveCommand(Function<String, String> env, Stdout stdout) {
        registry = new RegistryOptions(spec, env);
        this.stdout = stdout;
        CommandSpecs.examples(
                spec,
                "  regx save smoshysmosh/composer:latest 0",
                "      (writes smoshysmosh-composer-latest-0.tar.gzip)",
                "  regx save --all -o layers/ alpine:3.19",
                "      (into layers/, created if missing)",
                "  regx save alpine:3.19 0 -o - | tar -tz");
    }

    /** When to draw progress bars. */
    enum ProgressMode {
        auto,
        always,
        never
    }

    @Override
    public Integer call() throws Exception {
        String typedIndex = indexParameter.getValue();
        BigInteger index = typedIndex == null ? null : LayerIndex.parse(spec.commandLine(), typedIndex);
        boolean all = all();
        String output = output();
        int jobs = jobsOption.getValue();
        if (all == (index != null)) {
            throw new ParameterException(
                    spec.commandLine(),
                    all ? "give either IDX or --all, not both" : "missing layer index IDX (or --all)");
        }
        if (output != null && output.isEmpty()) {
            // An empty -o (an unset shell variable, -o "$DIR") would otherwise mean the current directory.
            throw new ParameterException(
                    spec.commandLine(), "-o needs a path (a file, a directory ending in /, or - for stdout)");
        }
        if (jobs < 1) {
            throw new ParameterException(spec.commandLine(), "--jobs must be at least 1");
        }
        boolean toStdout = "-".equals(output);
        if (toStdout && all) {
            throw new ParameterException(spec.commandLine(), "-o - writes one blob to stdout; it cannot take --all");
        }
        ImageReference ref = registry.reference(image.getValue());
        // The client first: its options' usage errors must come before -o DIR/ is created.
        RegistryClient client = registry.client(ref);
        Path directory = toStdout ? null : prepareOutput();
        ResolvedImage resolved = registry.resolve(client, ref);
        BlobFetcher fetcher = new BlobFetcher(client, client.retryPolicy());
        List<ImageLayer> layers = all ? resolved.layers() : List.of(LayerIndex.select(resolved, index));
        if (toStdout) {
            return saveToStdout(ref, layers.get(0), fetcher);
        }
        List<Path> targets = new ArrayList<>();
        for (ImageLayer layer : layers) {
            targets.add(target(directory, ref, layer));
        }
        checkWritableFor(targets);
        Saved saved = saveAll(ref, layers, targets, new LayerSaver(fetcher));
        // Also when some layer failed: the others are on disk, and a script must be able to tell which.
        PrintWriter out = stdout.text();
        saved.paths().forEach(out::println);
        if (saved.failure() != null) {
            throw saved.failure();
        }
        return ExitCode.OK.code();
    }

    /**
     * What {@link #saveAll} did: the files that hold their layer, in index order (saved now or already there;
     * not what was streamed to a device or FIFO), and the first failure, if any.
     */
    private record Saved(List<Path> paths, Exception failure) {}

    /**
     * Makes sure the files can be written where they are to go before anything is fetched, creating an
     * {@code -o} directory that ends in {@code /} (and its parents). Returns {@link #outputDirectory()}.
     */
    private Path prepareOutput() {
        Path directory = outputDirectory();
        try {
            if (directory != null && output() != null && output().endsWith("/")) {
                OutputDirectory.create(directory);
            } else if (directory != null) {
                OutputDirectory.checkExists(directory);
            } else {
                Path file = Path.of(output());
                OutputDirectory.checkExists(file.getParent() == null ? Path.of("") : file.getParent());
            }
        } catch (LocalWriteException e) {
            throw new CommandFailure(ExitCode.LOCAL_IO, e.getMessage(), e);
        }
        return directory;
    }

    /**
     * Before any blob is fetched: the directory of a target that does not exist yet must take a new file. Not
     * asked when every target is there already (saved before, a device, a FIFO): LayerSaver deals with those.
     */
    private static void checkWritableFor(List<Path> targets) {
        for (Path target : targets) {
            if (Files.notExists(target, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    OutputDirectory.checkWritable(target.getParent() == null ? Path.of("") : target.getParent());
                } catch (LocalWriteException e) {
                    throw new CommandFailure(ExitCode.LOCAL_IO, e.getMessage(), e);
                }
                return;
            }
        }
    }

    /** The directory to write into when {@code -o} names one, or null when {@code -o} names the file. */
    private Path outputDirectory() {
        String output = output();
        if (output == null) {
            return Path.of("");
        }
        Path path = Path.of(output);
        if (Files.isDirectory(path) || output.endsWith("/")) {
            return path;
        }
        if (all()) {
            throw new ParameterException(
                    spec.commandLine(), "with --all, -o must be a directory (\"" + output + "\" is not one)");
        }
        return null;
    }

    private Path target(Path directory, ImageReference ref, ImageLayer layer) {
        return directory == null
                ? Path.of(output())
                : directory.resolve(LayerFileName.of(ref, layer.index(), layer.mediaType()));
    }

    private Saved saveAll(ImageReference ref, List<ImageLayer> layers, List<Path> targets, LayerSaver saver)
            throws InterruptedException {
        boolean bars = showBars();
        ExecutorService pool =
                Executors.newFixedThreadPool(Math.min(jobsOption.<Integer>getValue(), layers.size()), runnable -> {
                    Thread t = new Thread(runnable, "regx-save");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<Future<LayerSaver.Outcome>> results = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                ImageLayer layer = layers.get(i);
                Path target = targets.get(i);
                results.add(pool.submit(() -> saveOne(ref, layer, target, saver, bars)));
            }
            List<Path> saved = new ArrayList<>();
            Exception first = null;
            PrintWriter err = spec.commandLine().getErr();
            for (int i = 0; i < results.size(); i++) {
                try {
                    if (results.get(i).get() != LayerSaver.Outcome.STREAMED) {
                        saved.add(targets.get(i));
                    }
                } catch (ExecutionException e) {
                    Exception cause = e.getCause() instanceof Exception c ? c : e;
                    if (first == null) {
                        first = layers.size() > 1 ? ofLayer(layers.get(i), cause) : cause;
                    } else {
                        err.println("regx: layer " + layers.get(i).index() + ": "
                                + ErrorReporter.oneLine(cause.getMessage()));
                    }
                }
            }
            err.flush();
            if (bars && layers.size() > 1) {
                // Several bars are drawn with cursor movements and leave the cursor at the end of the last one.
                System.err.println();
            }
            return new Saved(saved, first);
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * {@code failure}, reported as the failure of {@code layer}: with several layers the message says which, as
     * the lines printed for the others do; the exit code stays the failure's. Internal errors, an interrupt and
     * a reader gone are passed as they are, for the error reporter to say (or not) in its own way.
     */
    private static Exception ofLayer(ImageLayer layer, Exception failure) {
        ExitCode code = ErrorReporter.classify(failure);
        if (code == ExitCode.INTERNAL || code == ExitCode.INTERRUPTED || code == ExitCode.OUTPUT_CLOSED) {
            return failure;
        }
        return new CommandFailure(code, "layer " + layer.index() + ": " + failure.getMessage(), failure);
    }

    private LayerSaver.Outcome saveOne(
            ImageReference ref, ImageLayer layer, Path target, LayerSaver saver, boolean bars) throws Exception {
        LayerSaver.Outcome outcome;
        try (ProgressBarReporter bar =
                bars ? new ProgressBarReporter(target.getFileName().toString()) : null) {
            outcome = saver.save(
                    ref,
                    layer.descriptor(),
                    target,
                    CommandSpecs.isSet(forceOption),
                    bar != null ? bar : FetchProgress.none());
        } catch (TargetExistsException e) {
            throw new CommandFailure(ExitCode.FILE_EXISTS, e.getMessage(), e);
        } catch (LocalWriteException e) {
            // A FIFO or /dev/stdout whose reader left: silent 141, as with -o -.
            throw ReaderGone.after(e, target)
                    ? new CommandFailure(ExitCode.OUTPUT_CLOSED, e.getMessage(), e)
                    : new CommandFailure(ExitCode.LOCAL_IO, e.getMessage(), e);
        }
        // On a terminal the finished bar says it; a line printed among live bars would break their layout.
        if (!quiet() && (!bars || outcome == LayerSaver.Outcome.ALREADY_PRESENT)) {
            String done = switch (outcome) {
                case SAVED -> "saved ";
                case ALREADY_PRESENT -> "already saved ";
                case STREAMED -> "wrote ";
            };
            PrintWriter err = spec.commandLine().getErr();
            synchronized (err) {
                err.println("regx: " + done + target + " (layer " + layer.index() + ", " + ByteSize.iec(layer.size())
                        + ", " + layer.digest() + ")");
                err.flush();
            }
        }
        return outcome;
    }

    private int saveToStdout(ImageReference ref, ImageLayer layer, BlobFetcher fetcher) throws Exception {
        // Binary data bypasses the character writer, not the stream under it: a write that fails stops the
        // download, and Stdout says why (a reader that left is exit 141, like any command's; a full disk 12).
        OutputStream out = stdout.bytes();
        try (ProgressBarReporter bar =
                showBars() ? new ProgressBarReporter(LayerFileName.of(ref, layer.index(), layer.mediaType())) : null) {
            fetcher.fetch(
                    ref,
                    layer.descriptor(),
                    new StreamSink(out, "standard output"),
                    bar != null ? bar : FetchProgress.none());
        } catch (LocalWriteException e) {
            stdout.checkWritten();
            throw new CommandFailure(ExitCode.LOCAL_IO, e.getMessage(), e);
        }
        return ExitCode.OK.code();
    }

    private boolean showBars() {
        ProgressMode progress = progressOption.getValue();
        return !quiet()
                && (progress == ProgressMode.always || (progress == ProgressMode.auto && Terminal.isStderrTerminal()));
    }

    private boolean all() {
        return CommandSpecs.isSet(allOption);
    }

    private String output() {
        return outputOption.getValue();
    }

    private boolean quiet() {
        return CommandSpecs.isSet(quietOption);
    }
}
