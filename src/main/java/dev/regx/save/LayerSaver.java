package dev.regx.save;

import dev.regx.registry.Digest;
import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.blob.BlobFetcher;
import dev.regx.registry.blob.FetchProgress;
import dev.regx.registry.manifest.Descriptor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Saves one layer blob to a file: skips the download when the file is already there with the right
 * digest, refuses to replace other content without {@code force}, resumes a {@code .part} left by an
 * interrupted run, and renames into place only after the whole blob is verified (a target that is a symbolic
 * link stays one: the file it points to is written, see {@link LinkedPath}). A target that is a device,
 * a FIFO or one of regx's open files ({@link TargetKind#STREAM}) is written to directly instead.
 */
public final class LayerSaver {
    /** What {@link #save} did. */
    public enum Outcome {
        SAVED,
        ALREADY_PRESENT,
        /** Written to a device, FIFO or open file: nothing was saved under a name. */
        STREAMED
    }

    private final BlobFetcher fetcher;

    public LayerSaver(BlobFetcher fetcher) {
        this.fetcher = fetcher;
    }

    public Outcome save(ImageReference ref, Descriptor blob, Path target, boolean force, FetchProgress progress)
            throws LocalWriteException {
        switch (TargetKind.of(target)) {
            case STREAM -> {
                stream(ref, blob, target, progress);
                return Outcome.STREAMED;
            }
            case DIRECTORY ->
                throw new LocalWriteException(
                        "cannot write " + target + ": it is a directory;" + " remove it, or save elsewhere with -o",
                        null);
            case OTHER ->
                throw new LocalWriteException(
                        "cannot write " + target + ": it is neither a file, a character"
                                + " device nor a FIFO; save elsewhere with -o",
                        null);
            case FILE -> {
                if (hasContent(target, blob)) {
                    return Outcome.ALREADY_PRESENT;
                }
                if (!force) {
                    throw new TargetExistsException(target);
                }
            }
            case ABSENT -> {
                // a new file
            }
        }
        PartFileSink sink = new PartFileSink(LinkedPath.of(target));
        boolean resumed = sink.position() > 0;
        try {
            try {
                fetcher.fetch(ref, blob, sink, progress);
            } catch (RegistryException e) {
                if (e.kind() != RegistryException.Kind.DIGEST_MISMATCH || !resumed) {
                    throw e;
                }
                // The .part we resumed from may hold someone else's bytes: start over once before blaming the registry.
                sink.discard();
                progress.restarted();
                fetcher.fetch(ref, blob, sink, progress);
            }
        } catch (RegistryException e) {
            if (e.kind() == RegistryException.Kind.DIGEST_MISMATCH) {
                sink.delete();
            } else {
                sink.close();
            }
            throw e;
        } catch (LocalWriteException | RuntimeException e) {
            sink.close();
            throw e;
        }
        sink.commit();
        return Outcome.SAVED;
    }

    /**
     * Writes the blob straight to a device, FIFO or open file, as {@code -o -} writes it to stdout: verified as
     * it passes, but what has been written stays written, and there is nothing to resume. Appending, so that
     * {@code /dev/stdout} redirected with {@code >>} is not truncated.
     */
    private void stream(ImageReference ref, Descriptor blob, Path target, FetchProgress progress)
            throws LocalWriteException {
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            fetcher.fetch(ref, blob, new StreamSink(out, target.toString()), progress);
        } catch (LocalWriteException e) {
            throw e;
        } catch (IOException e) {
            throw new LocalWriteException("cannot write to " + target + ": " + PartFileSink.reason(e), e);
        }
    }

    /** Whether {@code file} already holds exactly the blob: size first, as it is free, then the digest. */
    static boolean hasContent(Path file, Descriptor blob) throws LocalWriteException {
        try {
            if (Files.size(file) != blob.size()) {
                return false;
            }
            Digest expected = Digest.parse(blob.digest());
            MessageDigest hasher = expected.newHasher();
            PartFileSink.hashPrefix(file, blob.size(), hasher);
            return expected.matches(hasher.digest());
        } catch (IOException e) {
            throw new LocalWriteException("cannot read " + file + ": " + PartFileSink.reason(e), e);
        }
    }
}
