package dev.regx.registry.blob;

import dev.regx.registry.Digest;
import dev.regx.registry.ImageReference;
import dev.regx.registry.manifest.Descriptor;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A blob opened for reading as it streams, hashed on the way. A reader (a tar parser) usually stops at the
 * archive's end marker, before the last bytes of the blob; {@link #verifyRest()} reads those too so the
 * digest and size are checked whole.
 */
public final class VerifiedBlobStream implements AutoCloseable {
    /** The response, or the parallel stream, the bytes come from. */
    private final ParallelRangeStream.Opening source;

    private final VerifyingInputStream verifying;

    private VerifiedBlobStream(ParallelRangeStream.Opening source, VerifyingInputStream verifying) {
        this.source = source;
        this.verifying = verifying;
    }

    /**
     * Opens the blob, over several connections when it is big and the server honours ranges ({@link
     * ParallelRangeStream}: chunks read in order through a bounded window, so memory stays flat).
     */
    public static VerifiedBlobStream open(BlobSource client, ImageReference ref, Descriptor descriptor) {
        ParallelRangeStream.Opening opening = ParallelRangeStream.open(client, ref, descriptor, 0);
        return new VerifiedBlobStream(
                opening,
                new VerifyingInputStream(
                        opening.body(),
                        Digest.parse(descriptor.digest()),
                        descriptor.size(),
                        ref.blobName(descriptor.digest())));
    }

    /** The verified bytes, as a stream whose {@code close()} leaves the response open for {@link #verifyRest()}. */
    public InputStream unclosable() {
        return new FilterInputStream(verifying) {
            @Override
            public void close() {
                // The reader is done; the remaining bytes still have to be hashed.
            }
        };
    }

    /**
     * Reads what the reader left unread and checks size and digest.
     *
     * @throws dev.regx.registry.RegistryException {@code DIGEST_MISMATCH} when the blob is not what its descriptor says
     */
    public void verifyRest() throws IOException {
        verifying.transferTo(OutputStream.nullOutputStream());
    }

    @Override
    public void close() {
        source.close();
    }
}
