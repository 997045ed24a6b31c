package dev.regx.registry.blob;

import dev.regx.registry.ImageReference;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.transport.HttpResponseStream;
import dev.regx.registry.transport.RetryPolicy;
import java.net.URI;

/**
 * Where blob bytes come from: the registry client, authenticated and past its redirects. The blob readers depend
 * on this alone, not on the client that implements it, so the client can use them without a package cycle.
 */
public interface BlobSource {
    /**
     * Opens a blob from byte {@code offset} (0 for the whole blob). The response is 200 (the whole blob), 206
     * (from {@code offset}) or 416 (offset at or past the end); any other status is thrown as a classified
     * {@link dev.regx.registry.RegistryException}.
     */
    HttpResponseStream openBlob(ImageReference ref, Descriptor descriptor, long offset);

    /**
     * Opens bytes {@code first} to {@code last} (inclusive) of a blob, with the statuses of {@link #openBlob}. When
     * {@code location} is the URL an earlier answer for this blob came from on another origin than the registry's
     * (a CDN's signed URL the registry redirected to), it is asked first, without the registry's credentials, and the
     * registry only when it does not answer 206 (a signature that expired); null goes to the registry.
     */
    HttpResponseStream openBlobRange(ImageReference ref, Descriptor descriptor, long first, long last, URI location);

    /** How big blobs are fetched: over how many connections, in what chunks. */
    ParallelFetch parallelFetch();

    /** The retry policy of the source's requests, for the retries of a download's broken connections. */
    RetryPolicy retryPolicy();
}
