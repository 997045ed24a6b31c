package dev.regx.cli;

import dev.regx.registry.ImageReference;
import dev.regx.registry.blob.BlobFetcher;
import dev.regx.registry.blob.FetchProgress;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.manifest.ResolvedImage;
import dev.regx.save.Destination;
import dev.regx.save.LayerFileName;
import dev.regx.save.LayerSaver;
import dev.regx.save.LocalWriteException;
import dev.regx.save.SaveJob;
import dev.regx.save.StreamSink;
import dev.regx.save.TargetExistsException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
    private final PositionalParamSpec image = CommandSpecs.image(spec, "smoshysmosh/composer:latest");
    private final PositionalParamSpec indexParameter = CommandSpecs.parameter(
            spec, "1", "0..1", String.class, "IDX", "Layer index as `regx layers` shows it (0 is the base).");
    private final OptionSpec allOption = CommandSpecs.flag(spec, "Save every layer, each under its own name.", "--all");
    private final OptionSpec outputOption = CommandSpecs.option(
            spec,
            String.class,
            "PATH",
            null,
            "Write to PATH instead. A directory keeps the default name; a PATH ending in / names one, created with"
                    + " its parents if missing. - writes the blob to stdout; a device or FIFO (/dev/null, a named"
                    + " pipe) is written to directly.",
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
        registry = RegistryOptions.forLayerBlobs(spec, env);
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
        boolean all = CommandSpecs.isSet(allOption);
        String output = outputOption.getValue();
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
        if (toStdout && stdout.isTerminal()) {
            // As curl refuses: a layer is binary, and on a terminal it is garbage that may drive the terminal.
            throw new CommandFailure(
                    ExitCode.USAGE, "stdout is a terminal; pipe it (-o - | tar -tz) or use -o FILE to save the layer");
        }
        PrintWriter err = spec.commandLine().getErr();
        TerminalLines terminal =
                showBars() ? new TerminalLines(err, Terminal.width().orElse(80)) : null;
        if (terminal != null) {
            // Every line printed while a bar is drawn (warnings, traces, a line per layer) goes above the bar.
            spec.commandLine().setErr(terminal.lines());
        }
        try {
            return save(index, all, output, jobs, toStdout, terminal);
        } finally {
            if (terminal != null) {
                terminal.finish();
                spec.commandLine().setErr(err);
            }
        }
    }

    private int save(BigInteger index, boolean all, String output, int jobs, boolean toStdout, TerminalLines terminal)
            throws Exception {
        ImageReference ref = registry.reference(image.getValue());
        // The client first: its options' usage errors must come before -o DIR/ is created.
        RegistryClient client = registry.client(ref);
        Destination destination = toStdout ? null : Destination.of(output);
        if (destination != null && destination.namesFile() && all) {
            throw new ParameterException(
                    spec.commandLine(), "with --all, -o must be a directory (\"" + output + "\" is not one)");
        }
        if (destination != null) {
            prepare(destination);
        }
        ResolvedImage resolved = registry.resolve(client, ref);
        BlobFetcher fetcher = new BlobFetcher(client, client.retryPolicy());
        List<ImageLayer> layers = all ? resolved.layers() : List.of(LayerIndex.select(resolved, index));
        if (toStdout) {
            return saveToStdout(ref, layers.get(0), fetcher, terminal);
        }
        List<SaveJob.LayerResult> results;
        try (AllLayersProgress allBar = terminal != null && all ? new AllLayersProgress(layers, terminal) : null) {
            SaveInterruption interruption =
                    new SaveInterruption(all, stdout.text(), spec.commandLine().getErr(), terminal);
            interruption.arm();
            try {
                results = SaveJob.run(
                        ref,
                        layers,
                        destination,
                        CommandSpecs.isSet(forceOption),
                        jobs,
                        fetcher,
                        new Display(terminal, allBar, interruption));
            } catch (LocalWriteException e) {
                throw new CommandFailure(ExitCode.LOCAL_IO, e.getMessage(), e);
            } finally {
                interruption.disarm();
            }
        }
        if (terminal != null) {
            terminal.finish();
        }
        Exception failure = report(results, resolved);
        // Also when some layer failed: the others are on disk, and a script must be able to tell which.
        PrintWriter out = stdout.text();
        for (SaveJob.LayerResult result : results) {
            if (result.inFile()) {
                out.println(result.target());
            }
        }
        if (failure != null) {
            throw failure;
        }
        return ExitCode.OK.code();
    }

    private static void prepare(Destination destination) {
        try {
            destination.prepare();
        } catch (LocalWriteException e) {
            throw new CommandFailure(ExitCode.LOCAL_IO, e.getMessage(), e);
        }
    }

    /**
     * Prints the failures of all layers but the first that failed, and returns that one's, to be reported as
     * the command's (null when every layer was saved).
     */
    private Exception report(List<SaveJob.LayerResult> results, ResolvedImage resolved) {
        Exception first = null;
        PrintWriter err = spec.commandLine().getErr();
        for (SaveJob.LayerResult result : results) {
            if (result.failure() == null) {
                continue;
            }
            Exception failure = asCommandFailure(result.failure(), result.target(), resolved);
            if (first == null) {
                first = results.size() > 1 ? ofLayer(result.layer(), failure) : failure;
            } else {
                err.println(
                        "regx: layer " + result.layer().index() + ": " + ErrorReporter.oneLine(failure.getMessage()));
            }
        }
        err.flush();
        return first;
    }

    /** The exit codes of saving's own failures: a file with other content, and local writes. */
    private static Exception asCommandFailure(Exception failure, Path target, ResolvedImage resolved) {
        if (failure instanceof TargetExistsException) {
            if (resolved.indexDigest().isPresent()) {
                // The default name is the same for every platform of an image: --force would overwrite the layer
                // of the platform saved before.
                return new CommandFailure(
                        ExitCode.FILE_EXISTS,
                        target + " already exists with other content, perhaps the same layer of another platform"
                                + " (the name does not say which); save this one elsewhere with -o, or replace it"
                                + " with --force",
                        failure);
            }
            return new CommandFailure(ExitCode.FILE_EXISTS, failure.getMessage(), failure);
        }
        if (failure instanceof LocalWriteException e) {
            // A FIFO or /dev/stdout whose reader left: silent 141, as with -o -.
            return ReaderGone.after(e, target)
                    ? new CommandFailure(ExitCode.OUTPUT_CLOSED, e.getMessage(), e)
                    : new CommandFailure(ExitCode.LOCAL_IO, e.getMessage(), e);
        }
        return failure;
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

    /**
     * On a terminal a progress bar: for one layer its own, which says when it is saved; with {@code --all} one for
     * all layers, with a line per layer saved printed above it. Off a terminal a line per layer saved. None of it
     * with {@code -q}.
     */
    private final class Display implements SaveJob.Listener {
        private final TerminalLines terminal;
        private final AllLayersProgress allBar;
        private final SaveInterruption interruption;

        Display(TerminalLines terminal, AllLayersProgress allBar, SaveInterruption interruption) {
            this.terminal = terminal;
            this.allBar = allBar;
            this.interruption = interruption;
        }

        @Override
        public SaveJob.LayerProgress progress(ImageLayer layer, Path target) {
            interruption.started(layer, target);
            if (allBar != null) {
                return allBar.layer();
            }
            return terminal != null
                    ? new ProgressBarReporter(target.getFileName().toString(), terminal)
                    : NO_PROGRESS;
        }

        @Override
        public void saved(ImageLayer layer, Path target, LayerSaver.Outcome outcome) {
            interruption.saved(layer, target, outcome);
            // A single layer's finished bar says it.
            if (!quiet() && (terminal == null || allBar != null || outcome == LayerSaver.Outcome.ALREADY_PRESENT)) {
                printSaved(layer, target, outcome);
            }
            if (allBar != null) {
                allBar.saved(layer, outcome == LayerSaver.Outcome.ALREADY_PRESENT);
            }
        }

        private void printSaved(ImageLayer layer, Path target, LayerSaver.Outcome outcome) {
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
    }

    private static final SaveJob.LayerProgress NO_PROGRESS = () -> {};

    private int saveToStdout(ImageReference ref, ImageLayer layer, BlobFetcher fetcher, TerminalLines terminal)
            throws Exception {
        // Binary data bypasses the character writer, not the stream under it: a write that fails stops the
        // download, and Stdout says why (a reader that left is exit 141, like any command's; a full disk 12).
        OutputStream out = stdout.bytes();
        try (ProgressBarReporter bar = terminal != null
                ? new ProgressBarReporter(LayerFileName.of(ref, layer.index(), layer.mediaType()), terminal)
                : null) {
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

    private boolean quiet() {
        return CommandSpecs.isSet(quietOption);
    }
}
