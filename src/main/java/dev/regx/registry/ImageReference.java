package dev.regx.registry;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An image reference as Docker understands it: {@code [REGISTRY/]REPOSITORY[:TAG][@DIGEST]}, with
 * Docker's defaults filled in ({@code alpine} is {@code docker.io/library/alpine:latest}).
 *
 * <p>The grammar follows the distribution project's {@code reference} package: the first path component is
 * a registry only if it contains a dot or a colon or is {@code localhost}; repository components are lower
 * case alphanumerics joined by {@code .}, {@code _}, {@code __} or runs of {@code -}.
 */
public final class ImageReference {
    /** How references name Docker Hub, and the host that actually serves its API. */
    public static final String DOCKER_HUB = "docker.io";

    public static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";
    public static final String DEFAULT_TAG = "latest";

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    /** {@code http://}, {@code https://}, {@code docker://} and the like, which no reference starts with. */
    private static final Pattern SCHEME = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://");

    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern HOST_COMPONENT = Pattern.compile("[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?");
    private static final Pattern PORT = Pattern.compile("[0-9]{1,5}");
    /** Hex groups and colons, an IPv4 tail allowed ({@code ::ffff:10.0.0.1}); the address itself is not checked. */
    private static final Pattern IPV6_ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private static final int MAX_NAME_LENGTH = 255;

    private final String registry;
    private final String repository;
    private final String tag;
    private final String digest;

    private ImageReference(String registry, String repository, String tag, String digest) {
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    /**
     * Parses a reference as a user types it.
     *
     * @throws RegistryException of kind {@link RegistryException.Kind#INVALID_REFERENCE} quoting the input
     *     and saying what is wrong with it
     */
    public static ImageReference parse(String input) {
        Objects.requireNonNull(input, "input");
        if (input.isEmpty()) {
            throw invalid(input, "it is empty");
        }
        if (!input.equals(input.strip())) {
            throw invalid(input, "it contains white space");
        }
        Matcher scheme = SCHEME.matcher(input);
        if (scheme.lookingAt()) {
            // A URL pasted from a browser or a registry's docs: the port would otherwise read as "//host".
            boolean http = scheme.group().equalsIgnoreCase("http://");
            throw invalid(
                    input,
                    "an image reference has no scheme; drop \"" + scheme.group() + "\": "
                            + input.substring(scheme.end())
                            + (http ? " (plain HTTP is --insecure HOST[:PORT]; loopback hosts always are)" : ""));
        }
        String rest = input;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            checkDigest(input, digest);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(
                        input,
                        "tag \"" + tag + "\" must be 1 to 128 letters, digits, '_', '.' or '-', "
                                + "not starting with '.' or '-'");
            }
        }
        if (rest.isEmpty()) {
            throw invalid(input, "the repository name is empty");
        }

        if (rest.indexOf('/') < 0 && (rest.equals("localhost") || isDottedQuad(rest))) {
            // Docker would read "127.0.0.1:5000" as the image 127.0.0.1 of Docker Hub, tag 5000: a registry
            // without a repository is what was meant.
            throw invalid(
                    input,
                    "it names a registry but no repository; write " + rest + (tag == null ? "" : ":" + tag)
                            + "/REPOSITORY[:TAG]");
        }
        String registry = DOCKER_HUB;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".")
                    || first.contains(":")
                    || first.equals("localhost")
                    || !first.equals(first.toLowerCase(Locale.ROOT))) {
                registry = first;
                path = rest.substring(slash + 1);
                checkRegistry(input, registry);
            }
        }
        if (registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
        }
        checkRepository(input, path);
        if (registry.equals(DOCKER_HUB) && path.indexOf('/') < 0) {
            path = "library/" + path;
        }
        // After Docker Hub's "library/": the name regx uses, and prints, must read back (found by fuzzing).
        if (path.length() > MAX_NAME_LENGTH) {
            throw invalid(input, "the repository name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        return new ImageReference(registry, path, tag, digest);
    }

    private static void checkDigest(String input, String digest) {
        if (!Digest.isWellFormed(digest)) {
            throw invalid(input, "digest \"" + digest + "\" is not of the form ALGORITHM:HEX");
        }
        String algorithm = digest.substring(0, digest.indexOf(':'));
        String hex = digest.substring(digest.indexOf(':') + 1);
        int expected = switch (algorithm) {
            case "sha256" -> 64;
            case "sha512" -> 128;
            default ->
                throw invalid(input, "digest algorithm \"" + algorithm + "\" is not supported " + "(sha256 or sha512)");
        };
        if (hex.length() != expected || !isLowerHex(hex)) {
            throw invalid(input, "a " + algorithm + " digest needs exactly " + expected + " lower-case hex digits");
        }
    }

    private static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code s} is four dot-separated groups of 1-3 digits, an IPv4 address as typed. By hand, not a
     * regular expression: every command parses a reference, and this is only a guard for a rare mistake.
     */
    private static boolean isDottedQuad(String s) {
        int groups = 1;
        int digits = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (digits == 0) {
                    return false;
                }
                groups++;
                digits = 0;
            } else if (c >= '0' && c <= '9' && digits < 3) {
                digits++;
            } else {
                return false;
            }
        }
        return groups == 4 && digits > 0;
    }

    /** Whether {@code hostAndPort} is a registry as a reference may name it: HOST[:PORT], IPv6 in brackets. */
    public static boolean isRegistryName(String hostAndPort) {
        try {
            checkRegistry(hostAndPort, hostAndPort);
            return true;
        } catch (RegistryException e) {
            return false;
        }
    }

    private static void checkRegistry(String input, String registry) {
        String host = registry;
        String port = null;
        if (registry.startsWith("[")) {
            int close = registry.indexOf(']');
            if (close < 0) {
                throw invalid(input, "registry \"" + registry + "\" has an unclosed IPv6 bracket");
            }
            host = registry.substring(0, close + 1);
            // Whatever sits between the brackets goes into URLs and messages: an IPv6 address's characters only.
            if (!IPV6_ADDRESS.matcher(registry.substring(1, close)).matches()) {
                throw invalid(input, "registry \"" + registry + "\" is not an IPv6 address in brackets");
            }
            String after = registry.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(input, "registry \"" + registry + "\" is not HOST[:PORT]");
                }
                port = after.substring(1);
            }
        } else {
            int colon = registry.lastIndexOf(':');
            if (colon >= 0) {
                host = registry.substring(0, colon);
                port = registry.substring(colon + 1);
            }
            if (host.isEmpty() || host.startsWith(".") || host.endsWith(".")) {
                throw invalid(input, "registry host \"" + host + "\" is not a valid host name");
            }
            for (String part : host.split("\\.", -1)) {
                if (!HOST_COMPONENT.matcher(part).matches()) {
                    throw invalid(input, "registry host \"" + host + "\" is not a valid host name");
                }
            }
        }
        if (port != null
                && (!PORT.matcher(port).matches() || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535)) {
            throw invalid(input, "registry port \"" + port + "\" is not a number from 1 to 65535");
        }
    }

    private static void checkRepository(String input, String path) {
        if (path.isEmpty()) {
            throw invalid(input, "the repository name is empty");
        }
        for (String component : path.split("/", -1)) {
            if (component.isEmpty()) {
                throw invalid(input, "the repository name has an empty path component");
            }
            if (!PATH_COMPONENT.matcher(component).matches()) {
                if (!component.equals(component.toLowerCase(Locale.ROOT))) {
                    throw invalid(input, "repository name must be lower case (\"" + component + "\")");
                }
                throw invalid(
                        input,
                        "repository name component \"" + component + "\" may only hold lower-case "
                                + "letters, digits and single separators ('.', '_', '__', '-')");
            }
        }
    }

    private static RegistryException invalid(String input, String why) {
        return new RegistryException(
                RegistryException.Kind.INVALID_REFERENCE, "invalid image reference \"" + input + "\": " + why);
    }

    /** The registry as written in the reference ({@code docker.io} for Docker Hub), host[:port]. */
    public String registry() {
        return registry;
    }

    /** The host[:port] that serves the registry API ({@code registry-1.docker.io} for Docker Hub). */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API_HOST : registry;
    }

    /** The repository path, e.g. {@code library/alpine}. */
    public String repository() {
        return repository;
    }

    /** How messages name blob {@code digest} of this repository: {@code blob DIGEST of REGISTRY/REPOSITORY}. */
    public String blobName(String digest) {
        return "blob " + digest + " of " + registry + "/" + repository;
    }

    /** The tag as given, if any. */
    public Optional<String> tag() {
        return Optional.ofNullable(tag);
    }

    /** The pinned digest, if any. */
    public Optional<String> digest() {
        return Optional.ofNullable(digest);
    }

    /** What to ask the registry for: the digest when pinned, else the tag, else {@code latest}. */
    public String manifestReference() {
        if (digest != null) {
            return digest;
        }
        return tag != null ? tag : DEFAULT_TAG;
    }

    /** The tag to show the user: the given one, {@code latest} when neither tag nor digest was given. */
    public Optional<String> effectiveTag() {
        if (tag != null) {
            return Optional.of(tag);
        }
        return digest == null ? Optional.of(DEFAULT_TAG) : Optional.empty();
    }

    /** The fully qualified form, e.g. {@code docker.io/library/alpine:latest}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(registry).append('/').append(repository);
        Optional<String> tag = effectiveTag();
        if (tag.isPresent()) {
            s.append(':').append(tag.get());
        }
        if (digest != null) {
            s.append('@').append(digest);
        }
        return s.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageReference r
                && registry.equals(r.registry)
                && repository.equals(r.repository)
                && Objects.equals(tag, r.tag)
                && Objects.equals(digest, r.digest);
    }

    @Override
    public int hashCode() {
        return Objects.hash(registry, repository, tag, digest);
    }
}
