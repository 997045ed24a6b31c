package dev.regx.registry.blob;

import dev.regx.registry.ImageReference;
import dev.regx.registry.manifest.Descriptor;
import dev.regx.registry.transport.HttpResponseStream;

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
}
