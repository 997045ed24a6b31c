package dev.regx.registry.transport;

import java.io.IOException;

/**
 * How much of a response body a request's attempt reads before it counts as done. A small body (a manifest, a
 * config, a token answer) is read whole inside the attempt, so a connection reset halfway through it is a
 * failed attempt and retried like a refused connection; a blob is streamed, and its resumption is the
 * caller's ({@code BlobFetcher}). Error bodies are always held, up to {@link #ERROR_BODY_LIMIT}.
 */
public final class BodyReading {
    /** What an error body's summary reads at most ({@link RegistryErrorBody}). */
    static final int ERROR_BODY_LIMIT = 16 * 1024;

    /** The body is left on the wire for the caller to stream. */
    public static final BodyReading STREAM = new BodyReading(-1, false);

    final int limit;
    final boolean refuseLonger;

    private BodyReading(int limit, boolean refuseLonger) {
        this.limit = limit;
        this.refuseLonger = refuseLonger;
    }

    /** Read whole; a body longer than {@code limit} is a malformed answer (exit 7). */
    public static BodyReading whole(int limit) {
        return new BodyReading(limit, true);
    }

    /** Read up to {@code limit} bytes and keep them; the caller judges a longer body (e.g. by its descriptor). */
    public static BodyReading upTo(int limit) {
        return new BodyReading(limit, false);
    }

    /** Whether an attempt that got {@code response} must read its body before it counts as done. */
    boolean holds(HttpResponseStream response) {
        return limit >= 0 || response.status() >= 400;
    }

    HttpResponseStream hold(HttpResponseStream response) throws BodyReadException {
        try {
            if (response.isSuccess() && limit >= 0) {
                return response.held(limit, refuseLonger);
            }
            return response.held(ERROR_BODY_LIMIT, false);
        } catch (IOException e) {
            throw new BodyReadException(e);
        }
    }
}
