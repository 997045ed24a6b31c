package dev.regx.registry.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.regx.registry.JsonDocument;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A Docker credential helper, the program {@code docker-credential-NAME} on the search path, asked for the
 * credential of one registry the way docker/cli asks it: {@code docker-credential-NAME get} with the server
 * URL on standard input ({@code https://index.docker.io/v1/} for Docker Hub, the registry host otherwise),
 * answering {@code {"ServerURL": …, "Username": …, "Secret": …}} on standard output. The username
 * {@code <token>} means the secret is an identity token.
 *
 * <p>Outcomes:
 * <ul>
 *   <li>a credential: returned;</li>
 *   <li>"credentials not found in native keychain" (the helpers' agreed not-found answer, on a non-zero
 *       exit), or an answer with an empty secret: empty, silently;</li>
 *   <li>anything else (the program is not on the search path, cannot start, exits non-zero, answers
 *       something that is not credentials JSON, or does not finish within the timeout, when it and its
 *       children are killed): one warning such as
 *       {@code credential helper docker-credential-pass failed for ghcr.io: exit status 1: gpg: decryption
 *       failed; continuing without credentials}, and empty. The warning quotes at most the first line of
 *       the helper's standard error, never its standard output, which is where secrets travel.</li>
 * </ul>
 *
 * <p>Answers are remembered per server URL for the life of the object, so a registry asked about twice
 * runs the helper (and warns) once.
 *
 * <p>Only absolute entries of the search path are used (a relative one such as {@code .} or an empty one
 * is skipped, as Go's {@code exec.LookPath}, which docker uses, refuses them).
 */
public final class CredentialHelper implements CredentialSource {
    /** How long docker-credential-* may take before it is killed. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The prefix every helper program's name has. */
    public static final String PROGRAM_PREFIX = "docker-credential-";

    static final String NOT_FOUND_MESSAGE = "credentials not found in native keychain";

    private static final int MAX_STDOUT = 1 << 20;
    private static final int MAX_STDERR = 64 << 10;
    private static final int MAX_WARNING_DETAIL = 300;
    /** How long to wait for the output pipes once the process is gone (a grandchild may hold them open). */
    private static final long DRAIN_GRACE_MILLIS = 2_000;

    private final String name;
    private final String searchPath;
    private final Duration timeout;
    private final CredentialWarnings warnings;
    private final Map<String, Optional<Credential>> answers = new ConcurrentHashMap<>();

    /**
     * @param name       the helper's name, the part after {@code docker-credential-} ({@code pass},
     *                   {@code osxkeychain}, {@code ecr-login}); it may not contain a path separator
     * @param searchPath where to look for the program, in the form of {@code $PATH}
     *                   ({@link File#pathSeparator}-separated directories); null or empty finds nothing
     * @param timeout    how long the program may run before it is killed and a warning given
     * @param warnings   where failures are reported
     */
    public CredentialHelper(String name, String searchPath, Duration timeout, CredentialWarnings warnings) {
        this.name = Objects.requireNonNull(name, "name");
        this.searchPath = searchPath == null ? "" : searchPath;
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.warnings = Objects.requireNonNull(warnings, "warnings");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    /**
     * Makes helpers by name that all search {@code searchPath} and share a timeout and warnings, for
     * {@link DockerConfigCredentials}.
     */
    public static Function<String, CredentialSource> factory(
            String searchPath, Duration timeout, CredentialWarnings warnings) {
        return new Factory(searchPath, timeout, warnings);
    }

    private record Factory(String searchPath, Duration timeout, CredentialWarnings warnings)
            implements Function<String, CredentialSource> {
        @Override
        public CredentialSource apply(String helperName) {
            return new CredentialHelper(helperName, searchPath, timeout, warnings);
        }
    }

    /** The helper's name, e.g. {@code pass}. */
    public String name() {
        return name;
    }

    /** The program's name, e.g. {@code docker-credential-pass}. */
    public String program() {
        return PROGRAM_PREFIX + name;
    }

    /**
     * The credential the helper holds for {@code registry} (as written in the image reference;
     * {@code docker.io} is asked for as {@code https://index.docker.io/v1/}).
     */
    @Override
    public Optional<Credential> lookup(String registry) {
        return get(RegistryHosts.dockerKey(registry), registry);
    }

    /**
     * Asks the helper for {@code serverUrl} exactly as given. {@code registry} is only used to name the
     * registry in warnings.
     */
    Optional<Credential> get(String serverUrl, String registry) {
        return answers.computeIfAbsent(serverUrl, url -> run(url, registry));
    }

    private Optional<Credential> run(String serverUrl, String registry) {
        if (name.isEmpty()
                || name.indexOf('/') >= 0
                || name.indexOf('\\') >= 0
                || name.indexOf(File.pathSeparatorChar) >= 0) {
            return fail(registry, "not a valid helper name");
        }
        Optional<Path> executable = find();
        if (executable.isEmpty()) {
            return fail(registry, "not found on PATH");
        }

        Process process;
        try {
            process = new ProcessBuilder(executable.get().toString(), "get").start();
        } catch (IOException | RuntimeException e) {
            return fail(registry, "cannot start it (" + e.getClass().getSimpleName() + ")");
        }
        Drain stdout = new Drain(process.getInputStream(), MAX_STDOUT, program() + " stdout");
        Drain stderr = new Drain(process.getErrorStream(), MAX_STDERR, program() + " stderr");
        try {
            try (OutputStream in = process.getOutputStream()) {
                in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // The helper exited or closed its stdin without reading: its exit status tells the story.
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                stderr.await(DRAIN_GRACE_MILLIS);
                return fail(registry, withStderr("timed out after " + describe(timeout), stderr));
            }
            stdout.await(DRAIN_GRACE_MILLIS);
            stderr.await(DRAIN_GRACE_MILLIS);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            return fail(registry, "interrupted");
        }

        String out = stdout.text().trim();
        int exit = process.exitValue();
        if (exit != 0) {
            if (out.equals(NOT_FOUND_MESSAGE) || stderr.text().trim().equals(NOT_FOUND_MESSAGE)) {
                return Optional.empty();
            }
            return fail(registry, withStderr("exit status " + exit, stderr));
        }
        return parse(out, registry, stderr);
    }

    private Optional<Credential> parse(String out, String registry, Drain stderr) {
        JsonNode answer;
        try {
            answer =
                    out.isEmpty() ? null : JsonDocument.readTree(out.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject()) {
            return fail(registry, withStderr("its answer is not credentials JSON", stderr));
        }
        JsonNode usernameNode = JsonFields.get(answer, "Username");
        JsonNode secretNode = JsonFields.get(answer, "Secret");
        if (!isStringOrNull(usernameNode) || !isStringOrNull(secretNode)) {
            return fail(registry, withStderr("its answer is not credentials JSON", stderr));
        }
        String username = usernameNode == null || usernameNode.isNull() ? "" : usernameNode.asText();
        String secret = secretNode == null || secretNode.isNull() ? "" : secretNode.asText();
        if (secret.isEmpty()) {
            return Optional.empty();
        }
        if (username.equals(Credential.IDENTITY_TOKEN_USERNAME)) {
            return Optional.of(Credential.identityToken(Credential.IDENTITY_TOKEN_USERNAME, secret));
        }
        return Optional.of(Credential.basic(username, secret));
    }

    private static boolean isStringOrNull(JsonNode node) {
        return node == null || node.isNull() || node.isTextual();
    }

    /** The first executable {@code docker-credential-NAME} in an absolute directory of the search path. */
    Optional<Path> find() {
        List<String> names = new ArrayList<>();
        names.add(program());
        if (isWindows()) {
            for (String ext : List.of(".exe", ".cmd", ".bat")) {
                names.add(program() + ext);
            }
        }
        for (String dir : searchPath.split(java.util.regex.Pattern.quote(File.pathSeparator))) {
            if (dir.isEmpty()) {
                continue;
            }
            Path directory;
            try {
                directory = Path.of(dir);
            } catch (InvalidPathException e) {
                continue;
            }
            if (!directory.isAbsolute()) {
                continue;
            }
            for (String candidate : names) {
                Path file = directory.resolve(candidate);
                if (Files.isRegularFile(file) && Files.isExecutable(file)) {
                    return Optional.of(file);
                }
            }
        }
        return Optional.empty();
    }

    private Optional<Credential> fail(String registry, String why) {
        warnings.warn("credential helper " + program() + " failed for " + registry + ": " + why
                + "; continuing without credentials");
        return Optional.empty();
    }

    /** {@code what}, followed by the first non-blank line of the helper's stderr if it wrote one. */
    private static String withStderr(String what, Drain stderr) {
        String line = firstLine(stderr.text());
        return line.isEmpty() ? what : what + ": " + line;
    }

    static String firstLine(String text) {
        for (String line : text.split("\\R")) {
            String trimmed = line.strip();
            if (!trimmed.isEmpty()) {
                StringBuilder clean = new StringBuilder();
                trimmed.codePoints()
                        .map(c -> Character.isISOControl(c) ? ' ' : c)
                        .forEach(clean::appendCodePoint);
                String s = clean.toString();
                return s.length() > MAX_WARNING_DETAIL ? s.substring(0, MAX_WARNING_DETAIL) + "…" : s;
            }
        }
        return "";
    }

    private static void kill(Process process) {
        // Children first: once the parent is dead they are re-parented and no longer its descendants.
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static String describe(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : millis + " ms";
    }

    private static boolean isWindows() {
        return System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    }

    @Override
    public String toString() {
        return "CredentialHelper[" + program() + "]";
    }

    /**
     * Reads one of the helper's output streams to its end on a daemon thread, so neither pipe can fill
     * up and stall the helper, keeping at most {@code limit} bytes.
     */
    private static final class Drain {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;

        Drain(InputStream in, int limit, String threadName) {
            thread = new Thread(
                    () -> {
                        byte[] buffer = new byte[8192];
                        try (in) {
                            int n;
                            while ((n = in.read(buffer)) >= 0) {
                                synchronized (bytes) {
                                    int keep = Math.min(n, limit - bytes.size());
                                    if (keep > 0) {
                                        bytes.write(buffer, 0, keep);
                                    }
                                }
                            }
                        } catch (IOException ignored) {
                            // The stream closed under us (the process was killed): keep what was read.
                        }
                    },
                    threadName);
            thread.setDaemon(true);
            thread.start();
        }

        void await(long millis) throws InterruptedException {
            thread.join(millis);
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
