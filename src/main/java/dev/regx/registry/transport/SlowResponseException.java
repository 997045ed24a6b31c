package dev.regx.registry.transport;

import java.net.SocketTimeoutException;

/**
 * A response body arriving too slowly to wait for (see {@link StallGuardInputStream}): a timeout, so it is retried
 * and reported as one, with its own words saying how slow.
 */
public final class SlowResponseException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    SlowResponseException(String message) {
        super(message);
    }
}
