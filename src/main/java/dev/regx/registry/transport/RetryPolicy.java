package dev.regx.registry.transport;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * When to try a request again: connection failures, 5xx and 429, a bounded number of times, with
 * exponential backoff and full jitter, honouring {@code Retry-After} up to a cap. A 429 that asks us to
 * wait longer than the cap is not retried: the user should hear about it now rather than watch a hang.
 */
public final class RetryPolicy {
    /** Sleeps; replaced in tests so they do not wait. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration retryAfterCap;
    private final Sleeper sleeper;
    private final RetryNotices notices;

    public RetryPolicy(
            int maxAttempts, Duration baseDelay, Duration maxDelay, Duration retryAfterCap, Sleeper sleeper) {
        this(maxAttempts, baseDelay, maxDelay, retryAfterCap, sleeper, RetryNotices.NONE);
    }

    private RetryPolicy(
            int maxAttempts,
            Duration baseDelay,
            Duration maxDelay,
            Duration retryAfterCap,
            Sleeper sleeper,
            RetryNotices notices) {
        this.maxAttempts = Math.max(1, maxAttempts);
        this.baseDelay = baseDelay;
        this.maxDelay = maxDelay;
        this.retryAfterCap = retryAfterCap;
        this.sleeper = sleeper;
        this.notices = notices;
    }

    /** This policy, telling {@code n} about the retries that make the user wait. */
    public RetryPolicy withNotices(RetryNotices n) {
        return new RetryPolicy(maxAttempts, baseDelay, maxDelay, retryAfterCap, sleeper, n);
    }

    public RetryNotices notices() {
        return notices;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Four attempts, 0.25 s doubling to 8 s, {@code Retry-After} honoured up to 30 s. */
    public static RetryPolicy standard() {
        return new RetryPolicy(
                4, Duration.ofMillis(250), Duration.ofSeconds(8), Duration.ofSeconds(30), ThreadSleeper.INSTANCE);
    }

    /** {@link Thread#sleep}. */
    private static final class ThreadSleeper implements Sleeper {
        static final ThreadSleeper INSTANCE = new ThreadSleeper();

        @Override
        public void sleep(Duration d) throws InterruptedException {
            Thread.sleep(d.toMillis());
        }
    }

    /** Tells the user a request is tried again: {@code what}, then "(attempt N of M)". */
    public void announce(String what, int nextAttempt) {
        notices.retrying(what + " (attempt " + nextAttempt + " of " + maxAttempts + ")");
    }

    /** Whether {@code e} is the user's interruption (Ctrl-C), which ends the command rather than retrying. */
    public static boolean isInterruption(IOException failure) {
        IOException e = BodyReadException.unwrap(failure);
        return e instanceof InterruptedIOException && !(e instanceof SocketTimeoutException);
    }

    /**
     * Whether {@code e} is a server that stopped sending (no byte, or a drip, within the read timeout): worth a
     * notice, since the user has been waiting for it.
     */
    public static boolean isStall(IOException e) {
        return BodyReadException.unwrap(e) instanceof SocketTimeoutException;
    }

    public static boolean isRetryableStatus(int status) {
        return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
    }

    /**
     * How long to wait before attempt {@code attempt + 1} (attempts count from 1), or empty to give up.
     *
     * @param retryAfter the response's {@code Retry-After} header, if any
     */
    public Optional<Duration> delayBefore(int attempt, Optional<String> retryAfter) {
        if (attempt >= maxAttempts) {
            return Optional.empty();
        }
        Optional<Duration> asked = retryAfter.flatMap(RetryPolicy::parseRetryAfter);
        if (asked.isPresent()) {
            return asked.get().compareTo(retryAfterCap) <= 0 ? asked : Optional.empty();
        }
        long ceiling = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        long jittered = ceiling <= 0 ? 0 : (long) (Math.random() * ceiling);
        return Optional.of(Duration.ofMillis(Math.max(jittered, ceiling / 2)));
    }

    public void sleep(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }

    /** {@code Retry-After} is either delta-seconds or an HTTP date. */
    public static Optional<Duration> parseRetryAfter(String value) {
        String v = value.trim();
        try {
            long seconds = Long.parseLong(v);
            return seconds >= 0 ? Optional.of(Duration.ofSeconds(seconds)) : Optional.empty();
        } catch (NumberFormatException notSeconds) {
            try {
                Instant when = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)
                        .toInstant();
                Duration d = Duration.between(Instant.now(), when);
                // A date already past (a clock that is off, or a hostile server) asks for no wait at all: regx's
                // own backoff then, as for a negative number, rather than retrying at once.
                return d.isNegative() || d.isZero() ? Optional.empty() : Optional.of(d);
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }
}
