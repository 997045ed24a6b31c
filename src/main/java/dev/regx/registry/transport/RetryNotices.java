package dev.regx.registry.transport;

/**
 * Hears about retries that make the user wait: a request that got no answer within the read timeout, or a
 * registry asking to wait seconds before trying again (the CLI prints them as warnings on stderr). Without
 * them a registry that accepts connections and never answers kept a command silent for four minutes. Quick
 * retries (a reset connection, a 503 retried after 250 ms) go to the {@code --verbose} trace only.
 */
@FunctionalInterface
public interface RetryNotices {
    /** Waits shorter than this pass without a notice. */
    java.time.Duration NOTICEABLE = java.time.Duration.ofSeconds(5);

    /** No notices. (A class, not a lambda: this is on every command's path, and the JVM's first lambda costs.) */
    RetryNotices NONE = new RetryNotices() {
        @Override
        public void retrying(String oneLine) {}
    };

    /** One line saying what happened and that regx tries again, e.g. "registry.lan did not answer in 60 s; ...". */
    void retrying(String oneLine);
}
