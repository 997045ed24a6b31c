package dev.regx.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward HTTP proxy on 127.0.0.1, like the ones corporate networks put between CI and registries. It
 * takes requests in absolute form ({@code GET http://host:port/path}) and forwards them to the loopback
 * address a host name is mapped to, so a test can reach a registry under a name that exists nowhere else:
 * regx never looks that name up (it hands it to the proxy) and no traffic leaves the machine. Responses,
 * redirects and challenges included, go back as they came. Every request is recorded.
 */
public final class ForwardProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of(
            "connection",
            "keep-alive",
            "proxy-connection",
            "transfer-encoding",
            "te",
            "trailer",
            "upgrade",
            "proxy-authorization",
            "proxy-authenticate",
            "content-length",
            "host");

    private final HttpServer server;
    private final Map<String, String> routes;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /** @param routes "host:port" as clients name it → "127.0.0.1:port" where it really listens */
    private ForwardProxy(Map<String, String> routes) throws IOException {
        this.routes = Map.copyOf(routes);
        this.server = HttpServers.start("forward-proxy", 0);
        server.createContext("/", this::handle);
    }

    public static ForwardProxy start(Map<String, String> routes) throws IOException {
        return new ForwardProxy(routes);
    }

    /** {@code http://127.0.0.1:PORT}: what HTTP_PROXY / HTTPS_PROXY name. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** "METHOD http://host:port/path" for every request, as the client sent it. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI asked = exchange.getRequestURI();
            requests.add(exchange.getRequestMethod() + " " + asked);
            String authority = asked.getHost() == null
                    ? null
                    : asked.getHost() + ":" + (asked.getPort() < 0 ? 80 : asked.getPort());
            String target = authority == null ? null : routes.get(authority.toLowerCase(Locale.ROOT));
            if (target == null) {
                HttpServers.send(
                        exchange,
                        502,
                        "text/plain",
                        ("no route to " + asked).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                return;
            }
            URI forward = URI.create("http://" + target + asked.getRawPath()
                    + (asked.getRawQuery() == null ? "" : "?" + asked.getRawQuery()));
            HttpURLConnection c = (HttpURLConnection) forward.toURL().openConnection(Proxy.NO_PROXY);
            c.setInstanceFollowRedirects(false);
            c.setRequestMethod(exchange.getRequestMethod());
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    values.forEach(v -> c.addRequestProperty(name, v));
                }
            });
            if ("POST".equals(exchange.getRequestMethod()) || "PUT".equals(exchange.getRequestMethod())) {
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream();
                        InputStream in = exchange.getRequestBody()) {
                    in.transferTo(out);
                }
            }
            int status = c.getResponseCode();
            c.getHeaderFields().forEach((name, values) -> {
                if (name != null && !HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) {
                    exchange.getResponseHeaders().put(name, values);
                }
            });
            InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream();
            long length = c.getContentLengthLong();
            if ("HEAD".equals(exchange.getRequestMethod()) || body == null) {
                exchange.sendResponseHeaders(status, -1);
                return;
            }
            exchange.sendResponseHeaders(status, length < 0 ? 0 : length == 0 ? -1 : length);
            try (InputStream in = body;
                    OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    @Override
    public void close() {
        HttpServers.stop(server);
    }
}
