package dev.regx.registry.auth;

import java.util.Locale;

/**
 * How registry names from image references and keys from {@code config.json} are brought to one form so
 * they can be compared.
 */
final class RegistryHosts {
    /** Docker Hub as image references name it. */
    static final String DOCKER_HUB = "docker.io";

    /**
     * Docker Hub's key in {@code config.json} and the server URL Docker hands credential helpers for it
     * ({@code registry.IndexServer} in docker/cli).
     */
    static final String DOCKER_HUB_SERVER_URL = "https://index.docker.io/v1/";

    private RegistryHosts() {}

    /**
     * The registry as a lower-case {@code host[:port]}, with Docker Hub's aliases ({@code index.docker.io},
     * {@code registry-1.docker.io}) folded into {@code docker.io}.
     */
    static String canonical(String registry) {
        String host = registry.trim().toLowerCase(Locale.ROOT);
        return switch (host) {
            case "index.docker.io", "registry-1.docker.io" -> DOCKER_HUB;
            default -> host;
        };
    }

    static boolean isDockerHub(String registry) {
        return canonical(registry).equals(DOCKER_HUB);
    }

    /**
     * A key from {@code config.json} ({@code auths} or {@code credHelpers}) in canonical form: scheme, path
     * and trailing slash dropped, as docker/cli's {@code ConvertToHostname} does, then {@link #canonical}.
     * {@code https://index.docker.io/v1/}, {@code http://host:5000/v2/} and {@code host:5000} all become
     * their {@code host[:port]}.
     */
    static String canonicalKey(String key) {
        return canonical(convertToHostname(key.trim()));
    }

    /** docker/cli's {@code ConvertToHostname}: {@code scheme://host[:port]/path} or {@code host[:port]/path}. */
    static String convertToHostname(String maybeUrl) {
        int scheme = maybeUrl.indexOf("://");
        if (scheme >= 0) {
            String rest = maybeUrl.substring(scheme + 3);
            int end = indexOfAny(rest, "/?#");
            String authority = end < 0 ? rest : rest.substring(0, end);
            int at = authority.lastIndexOf('@');
            if (at >= 0) {
                authority = authority.substring(at + 1);
            }
            if (!authority.isEmpty()) {
                return authority;
            }
        }
        int slash = maybeUrl.indexOf('/');
        return slash < 0 ? maybeUrl : maybeUrl.substring(0, slash);
    }

    /**
     * The key docker/cli itself would look up for {@code registry}: {@code https://index.docker.io/v1/} for
     * Docker Hub, the host as written otherwise. An entry under exactly this key beats entries that only
     * match after {@link #canonicalKey normalisation}. It is also the server URL given to credential
     * helpers, which store credentials under the key {@code docker login} used.
     */
    static String dockerKey(String registry) {
        return isDockerHub(registry) ? DOCKER_HUB_SERVER_URL : registry.trim();
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
