package dev.regx.files;

import dev.regx.layer.LayerReadException;
import dev.regx.layer.LayerReader;
import dev.regx.registry.ImageReference;
import dev.regx.registry.RegistryException;
import dev.regx.registry.blob.VerifiedBlobStream;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.ImageLayer;
import dev.regx.registry.transport.NetworkFailureText;
import java.io.IOException;

/**
 * One layer read from the registry as it streams, entries and contents handed to a visitor, the blob hashed on
 * the way. What {@code ls}, {@code cat} and {@code extract} share: the verdicts on a layer that fails.
 *
 * <ul>
 *   <li>bytes that are not the blob the manifest names (digest or size): {@link RegistryException} with
 *       {@code DIGEST_MISMATCH}, even when they broke the tar too;</li>
 *   <li>a layer pushed unreadable: {@link LayerReadException}, its message naming the layer;</li>
 *   <li>the network failing: {@link RegistryException} with {@code NETWORK}.</li>
 * </ul>
 */
public final class LayerBlob {
    private LayerBlob() {}

    /** Reads every entry of {@code layer} and then checks the whole blob against its digest and size. */
    public static void read(
            RegistryClient client, ImageReference image, ImageLayer layer, LayerReader.EntryVisitor visitor) {
        read(client, image, layer, visitor, true);
    }

    /**
     * As {@link #read(RegistryClient, ImageReference, ImageLayer, LayerReader.EntryVisitor)}; when the visitor
     * stops early and {@code verifyRest} is false, the rest of the blob is neither read nor checked.
     */
    public static void read(
            RegistryClient client,
            ImageReference image,
            ImageLayer layer,
            LayerReader.EntryVisitor visitor,
            boolean verifyRest) {
        try (VerifiedBlobStream blob = VerifiedBlobStream.open(client, image, layer.descriptor())) {
            try {
                LayerReader.readWithContents(blob.unclosable(), layer.mediaType(), visitor);
            } catch (LayerReadException e) {
                throw unreadable(blob, layer, e);
            }
            if (verifyRest) {
                blob.verifyRest();
            }
        } catch (IOException e) {
            throw new RegistryException(
                    RegistryException.Kind.NETWORK,
                    "reading layer " + layer.index() + " of " + image + " failed: " + NetworkFailureText.of(e),
                    e);
        }
    }

    /**
     * The failure for a layer the tar reader could not read. Bytes that are not the blob the manifest names
     * often break the tar too, and then the digest (or size) is the real story: exit 9, not 11. So the rest of
     * the blob is read and checked first; its verdict, if it has one, wins.
     */
    private static RuntimeException unreadable(VerifiedBlobStream blob, ImageLayer layer, LayerReadException e) {
        try {
            blob.verifyRest();
        } catch (RegistryException verdict) {
            if (verdict.kind() == RegistryException.Kind.DIGEST_MISMATCH) {
                verdict.addSuppressed(e);
                return verdict;
            }
            e.addSuppressed(verdict);
        } catch (IOException | RuntimeException unverified) {
            // The network failed while checking: the blob may be sound, so the reader's verdict stands.
            e.addSuppressed(unverified);
        }
        return new LayerReadException("layer " + layer.index() + ": " + e.getMessage(), e.entriesDelivered(), e);
    }
}
