package dev.regx.cli;

import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.javanet.NetHttpTransport;
import dev.regx.registry.JsonDocument;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Loads and initialises the HTTP, JSON and hashing classes on a second thread while the main thread is
 * still parsing arguments. A command that talks to a registry needs them all; on a cold JVM their static
 * set-up (google-http-client's header model and time zone data, OpenCensus, the JDK's HTTP handler, the
 * SHA-256 provider) costs tens of milliseconds that would otherwise come after picocli's, one after the
 * other, on a machine that has a second core idle. Nothing here touches the network or the disk's state.
 */
final class NetworkWarmUp {
    private NetworkWarmUp() {
    }

    static void start() {
        Thread t = new Thread(NetworkWarmUp::run, "regx-warm-up");
        t.setDaemon(true);
        t.start();
    }

    private static void run() {
        try {
            new NetHttpTransport().createRequestFactory();
            new HttpHeaders().setAcceptEncoding(null);
            Class.forName("com.google.api.client.http.OpenCensusUtils");
            new URL("http://127.0.0.1/").openConnection();
            JsonDocument.readTree("{\"a\":[1,\"b\",true,null,{}]}".getBytes(StandardCharsets.UTF_8));
            MessageDigest.getInstance("SHA-256").digest(new byte[64]);
        } catch (Exception | LinkageError ignored) {
            // Only speed is at stake; the command itself will meet and report any real problem.
        }
    }
}
