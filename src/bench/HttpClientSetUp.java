import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.javanet.NetHttpTransport;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Where google-http-client's one-time set-up goes, step by step, in a fresh JVM: run by
 * src/bench/http-client-setup.sh, which compiles it against target/regx.jar and runs it many times. One
 * line per run: "step=micros ..." for the steps of one request through google-http-client, or, with the
 * argument "jdk", for the same request through HttpURLConnection alone.
 */
public final class HttpClientSetUp {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // A class, not a lambda: the JVM's first lambda is part of what is measured (LogManager links some).
            Thread answer = new Thread() {
                @Override
                public void run() {
                    serve(server);
                }
            };
            answer.setDaemon(true);
            answer.start();
            URI uri = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v2/");
            StringBuilder out = new StringBuilder();
            long t = System.nanoTime();
            if (args.length > 0 && args[0].equals("jdk")) {
                HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
                c.setRequestProperty("Accept", "application/json");
                c.getResponseCode();
                c.getHeaderFields();
                try (InputStream in = c.getInputStream()) {
                    in.readAllBytes();
                }
                t = step(out, "jdk-request", t);
            } else {
                java.util.logging.Logger.getLogger("regx.bench");
                t = step(out, "java.util.logging", t);
                NetHttpTransport transport = new NetHttpTransport();
                t = step(out, "NetHttpTransport", t);
                new HttpHeaders();
                t = step(out, "HttpHeaders(reflection+proxies)", t);
                HttpRequest request = transport.createRequestFactory().buildGetRequest(new GenericUrl(uri, true));
                t = step(out, "HttpRequest(OpenCensus)", t);
                request.getHeaders().setAccept("application/json").setAcceptEncoding(null);
                request.setFollowRedirects(false).setNumberOfRetries(0).setResponseReturnRawInputStream(true);
                HttpResponse response = request.execute();
                try (InputStream in = response.getContent()) {
                    in.readAllBytes();
                }
                t = step(out, "first-request", t);
            }
            System.out.println(out.toString().trim());
        }
    }

    private static long step(StringBuilder out, String name, long since) {
        long now = System.nanoTime();
        out.append(name).append('=').append((now - since) / 1000).append(' ');
        return System.nanoTime();
    }

    private static void serve(ServerSocket server) {
        try (Socket s = server.accept()) {
            InputStream in = s.getInputStream();
            byte[] buffer = new byte[8192];
            int n = 0;
            while (n < 4 || !new String(buffer, 0, n, StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                int r = in.read(buffer, n, buffer.length - n);
                if (r < 0) {
                    return;
                }
                n += r;
            }
            OutputStream o = s.getOutputStream();
            o.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
                    .getBytes(StandardCharsets.ISO_8859_1));
            o.flush();
        } catch (Exception ignored) {
            // The measurement fails visibly without an answer.
        }
    }
}
