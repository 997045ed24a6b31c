package dev.regx.registry.transport;

import dev.regx.UsageException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The proxies the environment asks for, read as curl, Docker and the Go tools (crane, skopeo) read them:
 * {@code HTTPS_PROXY} for https URLs and {@code HTTP_PROXY} for http ones (upper case first, then lower
 * case), and {@code NO_PROXY} for the exceptions.
 *
 * <p>{@code NO_PROXY} follows Go's net/http: a comma-separated list of {@code *} (no proxy at all), host
 * names that also cover their subdomains ({@code example.com}; {@code .example.com} covers only the
 * subdomains), optionally with {@code :port}, IP addresses and CIDR blocks. Loopback hosts never go through
 * a proxy. Host names are compared as written: nothing is looked up in DNS.
 *
 * <p>Proxies are reached over plain HTTP ({@code http://}, the default when the value has no scheme) or
 * SOCKS ({@code socks5://}); credentials in the proxy URL are refused with a clear message rather than
 * ignored, as regx cannot send them yet.
 */
public final class EnvironmentProxies {
    /** Nothing set: connections use the JVM's own proxy settings ({@code -Dhttps.proxyHost}), if any. */
    public static final EnvironmentProxies NONE = new EnvironmentProxies(Optional.empty(), Optional.empty(), List.of());

    /**
     * A proxy and the variable it was read from, as the user spelled it ({@code https_proxy} or {@code HTTPS_PROXY}).
     */
    private record Setting(Proxy proxy, String variable) {}

    private final Optional<Setting> https;
    private final Optional<Setting> http;
    private final List<String> noProxy;

    private EnvironmentProxies(Optional<Setting> https, Optional<Setting> http, List<String> noProxy) {
        this.https = https;
        this.http = http;
        this.noProxy = noProxy;
    }

    /**
     * Reads {@code env}.
     *
     * @throws IllegalArgumentException naming the variable, when a proxy URL cannot be used
     */
    public static EnvironmentProxies from(Function<String, String> env) {
        Optional<Setting> https = proxy(env, "HTTPS_PROXY");
        Optional<Setting> http = proxy(env, "HTTP_PROXY");
        if (https.isEmpty() && http.isEmpty()) {
            return NONE;
        }
        List<String> noProxy = new ArrayList<>();
        for (String entry :
                variable(env, "NO_PROXY").map(Variable::value).orElse("").split(",")) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (!e.isEmpty()) {
                noProxy.add(e);
            }
        }
        return new EnvironmentProxies(https, http, List.copyOf(noProxy));
    }

    /** Whether the environment names any proxy. */
    public boolean configured() {
        return https.isPresent() || http.isPresent();
    }

    /** The proxy for {@code uri}, or {@link Proxy#NO_PROXY} to connect directly. */
    public Proxy proxyFor(URI uri) {
        return settingFor(uri).map(Setting::proxy).orElse(Proxy.NO_PROXY);
    }

    /**
     * The proxy for {@code uri} and where it came from ("http proxy proxy.corp:3128 of https_proxy"), for
     * messages; empty when {@code uri} is reached directly.
     */
    public Optional<String> describeFor(URI uri) {
        return settingFor(uri).map(s -> describe(s.proxy()) + " of " + s.variable());
    }

    private Optional<Setting> settingFor(URI uri) {
        Optional<Setting> proxy = "https".equalsIgnoreCase(uri.getScheme()) ? https : http;
        String host = uri.getHost();
        if (proxy.isEmpty() || host == null) {
            return Optional.empty();
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
        if (RegistryEndpoint.isLoopback(host) || bypassed(host, port)) {
            return Optional.empty();
        }
        return proxy;
    }

    /** "http proxy HOST:PORT" or "socks proxy HOST:PORT", for traces. */
    public static String describe(Proxy proxy) {
        InetSocketAddress a = (InetSocketAddress) proxy.address();
        return proxy.type().name().toLowerCase(Locale.ROOT) + " proxy " + a.getHostString() + ":" + a.getPort();
    }

    private boolean bypassed(String host, int port) {
        byte[] ip = ipLiteral(host);
        for (String entry : noProxy) {
            if (entry.equals("*")) {
                return true;
            }
            int slash = entry.indexOf('/');
            if (slash > 0) {
                if (ip != null && inBlock(ip, entry.substring(0, slash), entry.substring(slash + 1))) {
                    return true;
                }
                continue;
            }
            byte[] entryIp = ipLiteral(entry);
            if (entryIp != null) {
                if (ip != null && java.util.Arrays.equals(ip, entryIp)) {
                    return true;
                }
                continue;
            }
            String name = entry;
            int colon = name.lastIndexOf(':');
            if (colon > 0 && name.indexOf(':') == colon) {
                String entryPort = name.substring(colon + 1);
                name = name.substring(0, colon);
                if (!entryPort.equals(Integer.toString(port))) {
                    continue;
                }
            }
            if (name.startsWith("*.")) {
                name = name.substring(1);
            }
            if (name.startsWith(".") ? host.endsWith(name) : host.equals(name) || host.endsWith("." + name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code ip} lies in {@code base/bits}. */
    private static boolean inBlock(byte[] ip, String base, String bits) {
        byte[] block = ipLiteral(base);
        int prefix;
        try {
            prefix = Integer.parseInt(bits);
        } catch (NumberFormatException e) {
            return false;
        }
        if (block == null || block.length != ip.length || prefix < 0 || prefix > ip.length * 8) {
            return false;
        }
        for (int i = 0; i < prefix; i++) {
            int mask = 0x80 >>> (i % 8);
            if ((ip[i / 8] & mask) != (block[i / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    /** The address of an IPv4 or IPv6 literal, or null for a host name (which is never looked up). */
    private static byte[] ipLiteral(String s) {
        if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            byte[] b = new byte[4];
            String[] parts = s.split("\\.");
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return b;
        }
        if (s.indexOf(':') >= 0 && s.matches("[0-9a-f:.]+")) {
            try {
                return InetAddress.getByName(s).getAddress(); // a literal: parsed, not resolved
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static Optional<Setting> proxy(Function<String, String> env, String upperCaseName) {
        Optional<Variable> setting = variable(env, upperCaseName);
        if (setting.isEmpty()) {
            return Optional.empty();
        }
        String name = setting.get().name();
        String v = setting.get().value();
        URI uri;
        try {
            uri = URI.create(v.contains("://") ? v : "http://" + v);
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + " is not a proxy URL: \"" + v + "\"");
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (uri.getHost() == null) {
            throw new UsageException(name + " is not a proxy URL: \"" + v + "\"");
        }
        if (uri.getUserInfo() != null) {
            throw new UsageException(name + " carries credentials (user:password@): regx cannot send them to"
                    + " a proxy yet; use a proxy that needs none");
        }
        Proxy.Type type;
        int defaultPort;
        switch (scheme) {
            case "http" -> {
                type = Proxy.Type.HTTP;
                defaultPort = 80;
            }
            case "socks5", "socks5h", "socks" -> {
                type = Proxy.Type.SOCKS;
                defaultPort = 1080;
            }
            default ->
                throw new UsageException(
                        name + " uses " + scheme + "://: regx reaches proxies over" + " http:// or socks5:// only");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort;
        if (port < 1 || port > 65535) {
            throw new UsageException(name + " names port " + port + ", not one of 1-65535: \"" + v + "\"");
        }
        return Optional.of(new Setting(new Proxy(type, InetSocketAddress.createUnresolved(uri.getHost(), port)), name));
    }

    /** An environment variable that is set: its name as spelled, its value trimmed. */
    private record Variable(String name, String value) {}

    /** {@code NAME}, else {@code name}; blank counts as unset. */
    private static Optional<Variable> variable(Function<String, String> env, String name) {
        for (String n : new String[] {name, name.toLowerCase(Locale.ROOT)}) {
            String v = env.apply(n);
            if (v != null && !v.isBlank()) {
                return Optional.of(new Variable(n, v.trim()));
            }
        }
        return Optional.empty();
    }
}
