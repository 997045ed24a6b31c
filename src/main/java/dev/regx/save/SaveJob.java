package dev.regx.save;

import dev.regx.registry.ImageReference;
import dev.regx.registry.blob.BlobFetcher;
import dev.regx.registry.blob.FetchProgress;
import dev.regx.registry.manifest.ImageLayer;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * What {@code regx save} does once its command line is read and the image resolved: each layer's blob to its
 * file at a {@link Destination}, up to {@code jobs} layers at once, after checking that the files can be written
 * there. The command's one entry point into saving; what the user sees meanwhile (progress bars, a line per layer
 * saved) and how failures are reported are the command's, through a {@link Listener} and the results.
 */
public final class SaveJob {
    /** Hears the layers as they are saved; called on the threads that save them. */
    public interface Listener {
        /** What hears the download of {@code layer} to {@code target} (a progress bar); closed once it ends. */
        LayerProgress progress(ImageLayer layer, Path target);

        /** {@code layer} is in {@code target}, its progress closed; not called for a layer that failed. */
        void saved(ImageLayer layer, Path target, LayerSaver.Outcome outcome);
    }

    /** The progress of one layer's download, closed when it ends, saved or not. */
    public interface LayerProgress extends FetchProgress, AutoCloseable {
        @Override
        void close();
    }

    /**
     * How one layer ended.
     *
     * @param outcome what was done, null when it failed
     * @param failure why it failed, null when it did not
     */
    public record LayerResult(ImageLayer layer, Path target, LayerSaver.Outcome outcome, Exception failure) {
        /** Whether {@link #target} now holds the layer (saved now or before; not a stream it was written to). */
        public boolean inFile() {
            return outcome == LayerSaver.Outcome.SAVED || outcome == LayerSaver.Outcome.ALREADY_PRESENT;
        }
    }

    private SaveJob() {}

    /**
     * Saves {@code layers} of {@code ref}, each to its target at {@code destination}.
     *
     * @return one result per layer, in the order given: each layer is tried whatever became of the others
     * @throws LocalWriteException before anything is fetched, when no new file can be created where one is to go
     */
    public static List<LayerResult> run(
            ImageReference ref,
            List<ImageLayer> layers,
            Destination destination,
            boolean force,
            int jobs,
            BlobFetcher fetcher,
            Listener listener)
            throws LocalWriteException, InterruptedException {
        List<Path> targets = new ArrayList<>();
        for (ImageLayer layer : layers) {
            targets.add(destination.target(ref, layer));
        }
        checkWritableFor(targets);
        LayerSaver saver = new LayerSaver(fetcher);
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(jobs, layers.size()), runnable -> {
            Thread t = new Thread(runnable, "regx-save");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<LayerSaver.Outcome>> outcomes = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                ImageLayer layer = layers.get(i);
                Path target = targets.get(i);
                outcomes.add(pool.submit(() -> saveOne(ref, layer, target, saver, force, listener)));
            }
            List<LayerResult> results = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                try {
                    results.add(new LayerResult(
                            layers.get(i), targets.get(i), outcomes.get(i).get(), null));
                } catch (ExecutionException e) {
                    Exception cause = e.getCause() instanceof Exception c ? c : e;
                    results.add(new LayerResult(layers.get(i), targets.get(i), null, cause));
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Before any blob is fetched: the directory of a target that does not exist yet must take a new file. Not
     * asked when every target is there already (saved before, a device, a FIFO): LayerSaver deals with those.
     */
    private static void checkWritableFor(List<Path> targets) throws LocalWriteException {
        for (Path target : targets) {
            if (Files.notExists(target, LinkOption.NOFOLLOW_LINKS)) {
                OutputDirectory.checkWritable(Destination.parentOf(target));
                return;
            }
        }
    }

    private static LayerSaver.Outcome saveOne(
            ImageReference ref, ImageLayer layer, Path target, LayerSaver saver, boolean force, Listener listener)
            throws LocalWriteException {
        LayerSaver.Outcome outcome;
        try (LayerProgress progress = listener.progress(layer, target)) {
            outcome = saver.save(ref, layer.descriptor(), target, force, progress);
        }
        listener.saved(layer, target, outcome);
        return outcome;
    }
}
