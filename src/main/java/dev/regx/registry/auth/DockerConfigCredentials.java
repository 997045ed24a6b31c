package dev.regx.registry.auth;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.regx.registry.JsonDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Credentials the way the {@code docker} CLI finds them in the user's {@code config.json}
 * ({@code $DOCKER_CONFIG/config.json}, by default {@code ~/.docker/config.json}).
 *
 * <p>For a registry, as docker/cli's {@code ConfigFile.GetCredentialsStore} decides:
 * <ol>
 *   <li>{@code credHelpers[registry]} names a helper: that helper alone answers. (An empty name there
 *       means "this registry uses the plain {@code auths} entries", as in docker/cli.)</li>
 *   <li>otherwise {@code credsStore} names a helper: that helper alone answers, for every registry. The
 *       {@code auths} entries are then only a list of hosts {@code docker login} was used for; they are
 *       not consulted for secrets, and a helper that answers "not found" means anonymous, not a fall back
 *       to {@code auths}.</li>
 *   <li>otherwise the {@code auths} entry: {@code auth} (base64 of {@code username:password}, split at
 *       the first colon, and winning over separate {@code username}/{@code password} fields, as in
 *       docker/cli), {@code username} and {@code password}, or {@code identitytoken} (which wins over a
 *       password; the username is kept, or {@code <token>} if there is none).</li>
 * </ol>
 *
 * <p>Keys are matched the way Docker writes them and then some: an entry under the key docker/cli itself
 * looks up ({@code https://index.docker.io/v1/} for Docker Hub, the host as written otherwise) wins;
 * failing that, the first entry (in file order) whose key names the same host once scheme, path and
 * trailing slash are dropped (docker/cli's {@code ConvertToHostname}) and compared ignoring case:
 * {@code https://ghcr.io}, {@code http://host:5000/v2/}. Docker Hub is {@code docker.io},
 * {@code index.docker.io} or {@code registry-1.docker.io} in references and any of those (with or without
 * scheme and path) in keys. docker/cli only matches Docker Hub under its exact URL key and
 * {@code credHelpers} only exactly; matching those more loosely finds the entries a user plainly meant.
 *
 * <p>Field names are matched ignoring case when there is no exact match, as Go's JSON decoder does
 * ({@code "IdentityToken"} works like {@code "identitytoken"}).
 *
 * <p>Problems, reported through {@link CredentialWarnings} as one line that names the file but never
 * quotes it, and answered with anonymous: the file is not JSON or its {@code auths}, {@code credHelpers}
 * or {@code credsStore} have the wrong shape (warned once; the whole file is ignored, as docker/cli does);
 * an {@code auth} value that is not base64 of {@code username:password} (warned for that registry only,
 * where docker/cli would ignore the whole file). A missing or empty file means no credentials, silently.
 * Helper failures are reported by the helper (see {@link CredentialHelper}).
 *
 * <p>The file is read once, on the first look-up. Not supported: the legacy {@code ~/.dockercfg} and
 * docker/cli's {@code DOCKER_AUTH_CONFIG} variable.
 */
public final class DockerConfigCredentials implements CredentialSource {

    private final Path configFile;
    private final Function<String, ? extends CredentialSource> helperFactory;
    private final CredentialWarnings warnings;
    private final Map<String, CredentialSource> helpers = new ConcurrentHashMap<>();
    private Config config;

    /**
     * @param configFile the {@code config.json} to read (it need not exist)
     * @param helpers    makes the credential helper for a name from the file ({@code pass} for
     *                   {@code docker-credential-pass}); see {@link CredentialHelper#factory}. Each name is
     *                   made at most once.
     * @param warnings   where problems with the file are reported
     */
    public DockerConfigCredentials(
            Path configFile, Function<String, ? extends CredentialSource> helpers, CredentialWarnings warnings) {
        this.configFile = Objects.requireNonNull(configFile, "configFile");
        this.helperFactory = Objects.requireNonNull(helpers, "helpers");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
    }

    /**
     * The user's Docker config as the {@code docker} CLI would find it, with helpers searched on
     * {@code PATH} and given {@link CredentialHelper#DEFAULT_TIMEOUT}.
     *
     * @param env reads an environment variable, null when unset ({@code System::getenv} in production)
     */
    public static DockerConfigCredentials fromEnvironment(Function<String, String> env, CredentialWarnings warnings) {
        return new DockerConfigCredentials(
                defaultConfigFile(env),
                CredentialHelper.factory(env.apply("PATH"), CredentialHelper.DEFAULT_TIMEOUT, warnings),
                warnings);
    }

    /**
     * {@code $DOCKER_CONFIG/config.json} if {@code DOCKER_CONFIG} is set and not empty, else
     * {@code config.json} in {@code .docker} in the home directory ({@code HOME}, or {@code USERPROFILE}
     * on Windows, falling back to the JVM's {@code user.home}).
     */
    public static Path defaultConfigFile(Function<String, String> env) {
        String dir = env.apply("DOCKER_CONFIG");
        if (dir != null && !dir.isEmpty()) {
            return Path.of(dir, "config.json");
        }
        boolean windows =
                System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
        String home = env.apply(windows ? "USERPROFILE" : "HOME");
        if (home == null || home.isEmpty()) {
            home = System.getProperty("user.home");
        }
        return Path.of(home, ".docker", "config.json");
    }

    /** The file read. */
    public Path configFile() {
        return configFile;
    }

    @Override
    public Optional<Credential> lookup(String registry) {
        Config cfg = config();
        String helperKey = matchingKey(registry, cfg.credHelpers.keySet());
        String helper = helperKey != null ? cfg.credHelpers.get(helperKey) : cfg.credsStore;
        if (helper != null && !helper.isEmpty()) {
            return helpers.computeIfAbsent(helper, helperFactory).lookup(registry);
        }
        String authKey = matchingKey(registry, cfg.auths.keySet());
        return authKey == null ? Optional.empty() : fromEntry(registry, cfg.auths.get(authKey));
    }

    /** The key for {@code registry}: the one docker/cli looks up if present, else the first that matches. */
    static String matchingKey(String registry, Iterable<String> keys) {
        String exact = RegistryHosts.dockerKey(registry);
        String canonical = RegistryHosts.canonical(registry);
        String first = null;
        for (String key : keys) {
            if (key.equals(exact)) {
                return key;
            }
            if (first == null && RegistryHosts.canonicalKey(key).equals(canonical)) {
                first = key;
            }
        }
        return first;
    }

    private Optional<Credential> fromEntry(String registry, JsonNode entry) {
        if (entry == null || entry.isNull()) {
            return Optional.empty();
        }
        String username = text(entry, "username");
        String password = text(entry, "password");
        String auth = text(entry, "auth");
        if (!auth.isEmpty()) {
            String decoded = decodeAuth(auth);
            int colon = decoded == null ? -1 : decoded.indexOf(':');
            if (colon <= 0) {
                warnings.warn("ignoring the \"auth\" entry for " + registry + " in " + configFile
                        + ": it is not base64 of username:password; continuing without credentials");
                return Optional.empty();
            }
            username = decoded.substring(0, colon);
            password = trimNuls(decoded.substring(colon + 1));
        }
        String token = text(entry, "identitytoken");
        if (!token.isEmpty()) {
            return Optional.of(Credential.identityToken(
                    username.isEmpty() ? Credential.IDENTITY_TOKEN_USERNAME : username, token));
        }
        if (username.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(Credential.basic(username, password));
    }

    private static String decodeAuth(String auth) {
        try {
            String compact = auth.replace("\r", "").replace("\n", "");
            return new String(Base64.getDecoder().decode(compact), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** docker/cli trims NUL characters off decoded passwords. */
    private static String trimNuls(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == '\0') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == '\0') {
            end--;
        }
        return s.substring(start, end);
    }

    private static String text(JsonNode entry, String field) {
        JsonNode value = JsonFields.get(entry, field);
        return value == null || value.isNull() ? "" : value.asText();
    }

    private synchronized Config config() {
        if (config == null) {
            config = load();
        }
        return config;
    }

    private Config load() {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(configFile);
        } catch (NoSuchFileException e) {
            return Config.EMPTY;
        } catch (AccessDeniedException e) {
            return ignore("permission denied");
        } catch (IOException e) {
            return ignore("cannot read it (" + e.getClass().getSimpleName() + ")");
        }
        JsonNode root;
        try {
            root = JsonDocument.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            return ignore("not valid JSON"
                    + (at == null || at.getLineNr() < 0
                            ? ""
                            : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
        } catch (IOException e) {
            return ignore("not valid JSON");
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return Config.EMPTY;
        }
        if (!root.isObject()) {
            return ignore("not a JSON object");
        }

        Map<String, JsonNode> auths = new LinkedHashMap<>();
        JsonNode authsNode = JsonFields.get(root, "auths");
        if (authsNode != null && !authsNode.isNull()) {
            if (!authsNode.isObject()) {
                return ignore("\"auths\" is not an object");
            }
            for (Map.Entry<String, JsonNode> e : authsNode.properties()) {
                JsonNode entry = e.getValue();
                if (!entry.isNull() && !(entry.isObject() && stringFields(entry))) {
                    return ignore("an \"auths\" entry is not an object of strings");
                }
                auths.put(e.getKey(), entry);
            }
        }

        Map<String, String> credHelpers = new LinkedHashMap<>();
        JsonNode helpersNode = JsonFields.get(root, "credHelpers");
        if (helpersNode != null && !helpersNode.isNull()) {
            if (!helpersNode.isObject()) {
                return ignore("\"credHelpers\" is not an object");
            }
            for (Map.Entry<String, JsonNode> e : helpersNode.properties()) {
                if (!e.getValue().isTextual()) {
                    return ignore("a \"credHelpers\" entry is not a string");
                }
                credHelpers.put(e.getKey(), e.getValue().asText());
            }
        }

        JsonNode storeNode = JsonFields.get(root, "credsStore");
        String credsStore = null;
        if (storeNode != null && !storeNode.isNull()) {
            if (!storeNode.isTextual()) {
                return ignore("\"credsStore\" is not a string");
            }
            credsStore = storeNode.asText();
        }
        return new Config(Collections.unmodifiableMap(auths), Collections.unmodifiableMap(credHelpers), credsStore);
    }

    /** Whether every field of an {@code auths} entry that Docker declares as a string is one. */
    private static boolean stringFields(JsonNode entry) {
        for (String field :
                new String[] {"auth", "username", "password", "identitytoken", "email", "serveraddress", "registrytoken"
                }) {
            JsonNode value = JsonFields.get(entry, field);
            if (value != null && !value.isNull() && !value.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private Config ignore(String why) {
        warnings.warn("ignoring Docker config " + configFile + ": " + why + "; continuing without credentials");
        return Config.EMPTY;
    }

    @Override
    public String toString() {
        return "DockerConfigCredentials[" + configFile + "]";
    }

    private static final class Config {
        static final Config EMPTY = new Config(Map.of(), Map.of(), null);

        final Map<String, JsonNode> auths;
        final Map<String, String> credHelpers;
        final String credsStore;

        Config(Map<String, JsonNode> auths, Map<String, String> credHelpers, String credsStore) {
            this.auths = auths;
            this.credHelpers = credHelpers;
            this.credsStore = credsStore;
        }
    }
}
