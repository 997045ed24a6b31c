package dev.regx.registry.blob;

/** Hears how a blob download advances; the CLI draws a progress bar from it. */
public interface FetchProgress {
    /** The fetch begins: {@code total} bytes in all, {@code alreadyHeld} of them on disk from before. */
    default void started(long total, long alreadyHeld) {}

    default void advanced(long bytes) {}

    /** A transient failure; the fetch goes on from {@code position} after a pause. */
    default void retrying(long position, String reason) {}

    /** The sink was emptied to start over. */
    default void restarted() {}

    static FetchProgress none() {
        return new FetchProgress() {};
    }
}
