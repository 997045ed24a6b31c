package dev.regx.cli;

import dev.regx.registry.RegistryException;

/**
 * regx's exit codes: one per class of failure, stable, so a script can tell "no such tag" from "the
 * network is down" without parsing messages. The README has the same table.
 */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL(1, "unexpected internal error (a bug: please report it)"),
    USAGE(2, "usage error: bad option, argument, image reference or platform"),
    NOT_FOUND(3, "image, tag, repository, blob, layer index or PATH not found"),
    UNAUTHORIZED(4, "authentication required or refused"),
    RATE_LIMITED(5, "rate limited by the registry (HTTP 429)"),
    NETWORK(6, "network failure: cannot connect, connection reset, timeout, TLS"),
    MALFORMED_RESPONSE(7, "the registry answered something malformed or unsupported"),
    SERVER_ERROR(8, "the registry kept failing with HTTP 5xx"),
    DIGEST_MISMATCH(9, "downloaded content does not match its digest or size"),
    PLATFORM_NOT_FOUND(10, "the image has no manifest for the requested platform"),
    CORRUPT_LAYER(11, "the layer is not a readable tar archive (corrupt, truncated or not tar)"),
    LOCAL_IO(12, "cannot write the output, a file or stdout: disk full, permission denied, not a directory"),
    FILE_EXISTS(13, "the output file exists with other content (use --force)"),
    REFUSED_ENTRIES(14, "extract wrote the layer but refused unsafe entries (each named on stderr)"),
    /** The JVM itself exits 128 + the signal: 130 for SIGINT, 143 for SIGTERM (no constant: regx never returns it). */
    INTERRUPTED(130, "interrupted (Ctrl-C); 143 when terminated (SIGTERM)"),
    /** 128 + SIGPIPE, the status a shell reports for {@code tar tv | head}'s tar. */
    OUTPUT_CLOSED(141, "stdout's reader (e.g. head) closed the pipe before regx had written everything");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }

    static ExitCode of(RegistryException.Kind kind) {
        return switch (kind) {
            case INVALID_REFERENCE -> USAGE;
            case NOT_FOUND -> NOT_FOUND;
            case UNAUTHORIZED -> UNAUTHORIZED;
            case RATE_LIMITED -> RATE_LIMITED;
            case NETWORK -> NETWORK;
            case MALFORMED_RESPONSE -> MALFORMED_RESPONSE;
            case SERVER_ERROR -> SERVER_ERROR;
            case DIGEST_MISMATCH -> DIGEST_MISMATCH;
            case PLATFORM_NOT_FOUND -> PLATFORM_NOT_FOUND;
        };
    }
}
