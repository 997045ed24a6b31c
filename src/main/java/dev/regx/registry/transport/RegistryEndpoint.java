package dev.regx.registry.transport;

import java.net.URI;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where a registry's API lives: {@code https://HOST/v2/}, or plain HTTP for loopback hosts (as Docker
 * does for {@code localhost}) and for hosts the user named as insecure.
 */
public final class RegistryEndpoint {
    /** 127.0.0.0/8, written as a dotted quad. */
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private final String host;
    private final URI base;

    private RegistryEndpoint(String host, URI base) {
        this.host = host;
        this.base = base;
    }

    /**
     * @param apiHost host[:port] serving the API (e.g. {@code registry-1.docker.io}, {@code 127.0.0.1:5000})
     * @param insecureHosts hosts (with or without port) to reach over plain HTTP; host names match whatever
     *     their case, as DNS names do
     */
    public static RegistryEndpoint of(String apiHost, Set<String> insecureHosts) {
        return of(apiHost, insecureHosts, false);
    }

    /**
     * As above; {@code hasCertificates} says that a CA was configured for the host (certs.d, --ca-file), so a
     * loopback host too is reached over HTTPS: a registry on this machine that serves TLS is reachable.
     * Naming the host with --insecure still means plain HTTP.
     */
    public static RegistryEndpoint of(String apiHost, Set<String> insecureHosts, boolean hasCertificates) {
        String hostOnly = hostWithoutPort(apiHost);
        boolean plain = isLoopback(hostOnly) && !hasCertificates;
        for (String insecure : insecureHosts) {
            plain |= insecure.equalsIgnoreCase(apiHost) || insecure.equalsIgnoreCase(hostOnly);
        }
        return new RegistryEndpoint(apiHost, URI.create((plain ? "http://" : "https://") + apiHost + "/"));
    }

    /** {@code localhost}, {@code 127.0.0.0/8} and {@code ::1}: traffic that never leaves the machine. */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.equals("localhost")
                || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1")
                || LOOPBACK_V4.matcher(h).matches();
    }

    public static String hostWithoutPort(String hostAndPort) {
        if (hostAndPort.startsWith("[")) {
            int close = hostAndPort.indexOf(']');
            return close > 0 ? hostAndPort.substring(0, close + 1) : hostAndPort;
        }
        int colon = hostAndPort.lastIndexOf(':');
        return colon >= 0 ? hostAndPort.substring(0, colon) : hostAndPort;
    }

    public String host() {
        return host;
    }

    public boolean isPlainHttp() {
        return "http".equals(base.getScheme());
    }

    /** The URI of an API path such as {@code v2/library/alpine/manifests/latest}. */
    public URI resolve(String path) {
        return base.resolve(path.startsWith("/") ? path.substring(1) : path);
    }

    /** Whether {@code uri} is this registry's origin (scheme, host and port), where our credentials may go. */
    public boolean isSameOrigin(URI uri) {
        return sameOrigin(base, uri);
    }

    public static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null
                && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost())
                && effectivePort(a) == effectivePort(b);
    }

    private static int effectivePort(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryEndpoint e && base.equals(e.base);
    }

    @Override
    public int hashCode() {
        return Objects.hash(base);
    }

    @Override
    public String toString() {
        return base.toString();
    }
}
