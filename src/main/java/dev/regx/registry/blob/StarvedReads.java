package dev.regx.registry.blob;

/**
 * Tells from one connection's reads whether the link, not regx, sets the pace. A read returns what the socket holds:
 * over a link slower than regx each read gets the little that came since the last one (at 50 MB/s, a few KiB to tens
 * of KiB of the 256 KiB or 1 MiB asked for), while over a link faster than regx the bytes wait in the socket and
 * reads come back full, or nearly. A read that gets less than a quarter of what it asked for is starved; {@code
 * limit} starved reads in a row mean the link is the bottleneck, and more connections would help.
 *
 * <p>Why reads and not time: in a JVM that has just started, 4 MiB over loopback took 70-130 ms (the reading thread
 * waiting for a core while the JIT compiles), as long as over a link capped at 50 MB/s; but its reads came back full.
 */
final class StarvedReads {
    /** Reads that asked for less tell nothing (the end of a buffer or of a chunk): they neither count nor reset. */
    static final int MIN_ASK = 64 << 10;

    private final int limit;
    private int run;

    /** @param limit starved reads in a row that show a slow link; {@link Integer#MAX_VALUE}: never */
    StarvedReads(int limit) {
        this.limit = limit;
    }

    /** Records a read that asked for {@code asked} bytes and got {@code got}; whether the link has shown it is slow. */
    boolean slowLink(int asked, int got) {
        if (asked >= MIN_ASK && got >= 0) {
            run = got < asked / 4 ? run + 1 : 0;
        }
        return run >= limit;
    }
}
