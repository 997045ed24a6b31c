package dev.regx.registry.blob;

import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;

/**
 * The verdict on a blob whose copy in the registry is not as long as its descriptor says. Like wrong bytes, it
 * is a {@link Kind#DIGEST_MISMATCH}, and final: the registry sent a whole answer, so asking again (or resuming)
 * gets the same bytes. A body cut short of the server's own {@code Content-Length} is not this but a broken
 * connection, which is retried.
 */
final class SizeMismatch {
    private static final String ADVICE = "; the registry's copy does not match the manifest and retrying will not help:"
            + " push the image again or tell the registry's operator";

    private SizeMismatch() {}

    /**
     * The registry served a complete body of {@code served} bytes for a blob the descriptor says is {@code promised}.
     */
    static RegistryException served(String what, long served, long promised) {
        return new RegistryException(
                Kind.DIGEST_MISMATCH,
                what + ": the registry served " + served + " bytes where the manifest says " + promised + ADVICE);
    }

    /** The registry says its copy is {@code held} bytes long (a {@code Content-Range} total). */
    static RegistryException held(String what, long held, long promised) {
        return new RegistryException(
                Kind.DIGEST_MISMATCH,
                what + ": the registry holds " + held + " bytes where the manifest says " + promised + ADVICE);
    }

    /** The registry refused a range from {@code offset} (HTTP 416) without saying its length: it holds no more. */
    static RegistryException endsBefore(String what, long offset, long promised) {
        return new RegistryException(
                Kind.DIGEST_MISMATCH,
                what + ": the registry holds at most " + offset
                        + " bytes (it refused a range from there) where the manifest says " + promised + ADVICE);
    }

    /** More bytes than promised arrived; reading stops at once, as such a server is not trusted to stop. */
    static RegistryException longer(String what, long promised) {
        return new RegistryException(
                Kind.DIGEST_MISMATCH,
                what + " is longer than the " + promised + " bytes its descriptor promises" + ADVICE);
    }
}
