package dev.regx.registry.transport;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The retry layer every request goes through (manifests, configs, blobs, tags, token requests): each attempt
 * sends the request, follows its redirects ({@link RedirectFollower}) and reads as much of the body as
 * {@link BodyReading} says; the {@link RetryPolicy} decides whether a failed attempt is tried again and tells the
 * user about the waits they would notice. Authentication sits above this layer: a request answered 401 comes
 * back as a response, and the token request it leads to is itself a request of this layer.
 */
public final class RetriedRequests {
    private final RedirectFollower redirects;
    private final RetryPolicy retry;
    private final HttpTrace trace;

    public RetriedRequests(HttpTransport http, RetryPolicy retry, HttpTrace trace) {
        this.redirects = new RedirectFollower(http);
        this.retry = retry;
        this.trace = trace;
    }

    /**
     * Sends {@code request} until an attempt gets an answer that is not worth retrying, or the attempts run out.
     *
     * @param authorization sent only to {@code authorizedOrigin} (see {@link RedirectFollower}); null for none
     * @return the last response: a 429 or 5xx when the retries are spent on those
     * @throws IOException the last attempt's failure when every attempt failed to get an answer (refused, reset,
     *     timed out, a body cut short), or an interruption at once
     */
    public HttpResponseStream send(
            OutgoingRequest request, String authorization, URI authorizedOrigin, BodyReading reading)
            throws IOException {
        String host = HttpTransport.authority(request.uri());
        for (int attempt = 1; ; attempt++) {
            HttpResponseStream response;
            try {
                response = redirects.send(request, authorization, authorizedOrigin);
                if (reading.holds(response)) {
                    response = reading.hold(response);
                }
            } catch (IOException e) {
                if (RetryPolicy.isInterruption(e)) {
                    throw e;
                }
                Optional<Duration> delay = retry.delayBefore(attempt, Optional.empty());
                if (delay.isEmpty()) {
                    throw e;
                }
                trace.line("! " + NetworkFailureText.of(e) + "; retrying in "
                        + delay.get().toMillis() + " ms");
                if (RetryPolicy.isStall(e)) {
                    retry.announce(host + " did not answer in time; trying again", attempt + 1);
                }
                retry.sleep(delay.get());
                continue;
            }
            if (RetryPolicy.isRetryableStatus(response.status())) {
                Optional<Duration> delay = retry.delayBefore(attempt, response.header("Retry-After"));
                if (delay.isPresent()) {
                    trace.line("! HTTP " + response.status() + "; retrying in "
                            + delay.get().toMillis() + " ms");
                    if (delay.get().compareTo(RetryNotices.NOTICEABLE) >= 0) {
                        retry.announce(
                                host + " answered HTTP " + response.status() + "; trying again in "
                                        + delay.get().toSeconds() + " s",
                                attempt + 1);
                    }
                    response.close();
                    retry.sleep(delay.get());
                    continue;
                }
            }
            return response;
        }
    }
}
