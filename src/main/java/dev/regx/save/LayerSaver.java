package dev.regx.save;

import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.blob.BlobFetcher;
import dev.regx.registry.blob.BlobSink.LocalWriteException;
import dev.regx.registry.blob.Digest;
import dev.regx.registry.blob.FetchProgress;
import dev.regx.registry.manifest.Descriptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Saves one layer blob to a file: skips the download when the file is already there with the right
 * digest, refuses to replace other content without {@code force}, resumes a {@code .part} left by an
 * interrupted run, and renames into place only after the whole blob is verified.
 */
public final class LayerSaver {
    /** What {@link #save} did. */
    public enum Outcome {
        SAVED,
        ALREADY_PRESENT
    }

    private final BlobFetcher fetcher;

    public LayerSaver(BlobFetcher fetcher) {
        this.fetcher = fetcher;
    }

    public Outcome save(ImageReference ref, Descriptor blob, Path target, boolean force, FetchProgress progress)
            throws LocalWriteException {
        if (Files.exists(target)) {
            if (Files.isRegularFile(target) && hasContent(target, blob)) {
                return Outcome.ALREADY_PRESENT;
            }
            if (!force || !Files.isRegularFile(target)) {
                throw new TargetExistsException(target);
            }
        }
        PartFileSink sink = new PartFileSink(target);
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
