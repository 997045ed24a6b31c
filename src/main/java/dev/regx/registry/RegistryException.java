package dev.regx.registry;

/**
 * A failure talking to a registry, classified so the command line can map each class to its own exit
 * code. The message is one line meant for a person: what went wrong and, where it helps, what to do.
 * It never contains a credential or a token.
 */
public class RegistryException extends RuntimeException {

    /** The classes of failure a script may want to tell apart. */
    public enum Kind {
        /** The image reference itself is malformed. */
        INVALID_REFERENCE,
        /** The repository, tag, manifest or blob does not exist (or is hidden from us). */
        NOT_FOUND,
        /** The registry refused our credentials, or wants credentials we do not have. */
        UNAUTHORIZED,
        /** 429 Too Many Requests. */
        RATE_LIMITED,
        /** Connection refused, reset, timed out, DNS failure, TLS failure. */
        NETWORK,
        /** The registry answered something we cannot make sense of. */
        MALFORMED_RESPONSE,
        /** The registry kept answering 5xx after our retries. */
        SERVER_ERROR,
        /** Bytes did not match the digest or size that was promised for them. */
        DIGEST_MISMATCH,
        /** The image has no manifest for the requested platform. */
        PLATFORM_NOT_FOUND
    }

    private final Kind kind;

    public RegistryException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public RegistryException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
