package dev.regx.registry.blob;

import dev.regx.registry.RegistryException;
import dev.regx.registry.RegistryException.Kind;
import dev.regx.registry.transport.NetworkFailureText;
import dev.regx.registry.transport.RetryPolicy;
import dev.regx.registry.transport.SlowResponseException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/**
 * The failed attempts at one stretch of a blob's bytes (the whole blob in one stream, or one chunk of a parallel
 * fetch), counted as the {@link RetryPolicy} wants them: a link that drops now and then but keeps making progress
 * is followed to the end, since each {@link #PROGRESS_FOR_FRESH_ATTEMPTS} received earns a fresh count of
 * attempts; one that makes no real progress (none, or a few bytes before each reset) gives up after the policy's
 * attempts. The policy decides and announces; this class only knows where the download stood.
 */
final class DownloadAttempts {
    /** Bytes a failing download must receive to earn a fresh count of attempts. */
    static final long PROGRESS_FOR_FRESH_ATTEMPTS = 1 << 20;

    private final RetryPolicy retry;
    private final String what;
    private final long size;
    private int failures;
    private long positionAtLastReset;

    /** @param start where the first attempt starts (bytes already held count as no progress) */
    DownloadAttempts(RetryPolicy retry, String what, long size, long start) {
        this.retry = retry;
        this.what = what;
        this.size = size;
        this.positionAtLastReset = start;
    }

    /**
     * After an attempt that failed with {@code e} once the blob's bytes up to {@code position} were held: how long
     * to wait before the next (a stall announced), or the download's failure when the attempts are spent.
     *
     * @param hint what the user can do, appended to the failure ("; run the command again to resume")
     * @throws RegistryException {@code NETWORK} when the attempts are spent or the user interrupted
     */
    Duration failed(IOException e, long position, String hint) {
        if (position - positionAtLastReset >= PROGRESS_FOR_FRESH_ATTEMPTS) {
            failures = 1;
            positionAtLastReset = position;
        } else {
            failures++;
        }
        if (RetryPolicy.isInterruption(e)) {
            throw new RegistryException(Kind.NETWORK, "interrupted downloading " + what, e);
        }
        Optional<Duration> delay = retry.delayBefore(failures, Optional.empty());
        if (delay.isEmpty()) {
            throw new RegistryException(
                    Kind.NETWORK,
                    "downloading " + what + " failed after " + failures + " attempts at byte " + position + " of "
                            + size + ": " + NetworkFailureText.of(e) + hint,
                    e);
        }
        if (RetryPolicy.isStall(e)) {
            retry.announce(
                    "downloading " + what + " stalled ("
                            + (e instanceof SlowResponseException ? e.getMessage() : "no data in time")
                            + "); trying again from byte " + position,
                    failures + 1);
        }
        return delay.get();
    }
}
