package dev.regx.cli;

import dev.regx.UsageException;
import dev.regx.registry.ImageReference;
import dev.regx.registry.auth.CredentialChain;
import dev.regx.registry.auth.CredentialSource;
import dev.regx.registry.auth.CredentialWarnings;
import dev.regx.registry.auth.DockerConfigCredentials;
import dev.regx.registry.auth.StaticCredentials;
import dev.regx.registry.blob.ParallelFetch;
import dev.regx.registry.client.RegistryClient;
import dev.regx.registry.manifest.Platform;
import dev.regx.registry.manifest.ResolvedImage;
import dev.regx.registry.transport.EnvironmentProxies;
import dev.regx.registry.transport.HttpTrace;
import dev.regx.registry.transport.RetryNotices;
import dev.regx.registry.transport.TrustedCertificates;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/** The options every command that talks to a registry shares: how to reach it and who we are there. */
public final class RegistryOptions {
    private final CommandSpec spec;
    /** Environment variables ({@code DOCKER_CONFIG}, {@code HOME}, {@code PATH}); tests pass their own. */
    private final Function<String, String> env;

    private final OptionSpec platform;
    private final OptionSpec insecure;
    private final OptionSpec caFile;
    private final OptionSpec allowForeignUrls;
    private final OptionSpec username;
    private final OptionSpec passwordStdin;
    private final OptionSpec verbose;
    private final OptionSpec connections;

    /** Which of the options a command has besides the ones every command has. */
    enum Extra {
        /** {@code --platform}: the command reads one image of an index. */
        PLATFORM,
        /** {@code --allow-foreign-urls}: the command fetches layers. */
        FOREIGN_LAYERS,
        /** The command gives {@code -v} a meaning of its own (extract: tar's); {@code --verbose} still traces. */
        OWN_SHORT_V,
        /** {@code --connections}: the command streams layer blobs, a big one over several connections. */
        CONNECTIONS
    }

    /** More connections than this to one server for one blob is no longer a client being efficient. */
    static final int MAX_CONNECTIONS = 16;

    /** Adds the registry options to {@code spec}, the command that uses them: all of them. */
    RegistryOptions(CommandSpec spec, Function<String, String> env) {
        this(spec, env, List.of(Extra.PLATFORM, Extra.FOREIGN_LAYERS));
    }

    /**
     * Adds the registry options every command has, and {@code extras}, to {@code spec}: an option that could
     * change nothing ({@code --platform} for a tag list, {@code --allow-foreign-urls} where no layer is read)
     * is left out rather than silently ignored.
     */
    static RegistryOptions with(CommandSpec spec, Function<String, String> env, Extra... extras) {
        return new RegistryOptions(spec, env, List.of(extras));
    }

    /** The options of a command that reads layer blobs: {@code --platform}, foreign layers, {@code --connections}. */
    static RegistryOptions forLayerBlobs(CommandSpec spec, Function<String, String> env) {
        return with(spec, env, Extra.PLATFORM, Extra.FOREIGN_LAYERS, Extra.CONNECTIONS);
    }

    /** What shell completion offers for {@code --platform}: the platforms images are most often built for. */
    private static final List<String> COMMON_PLATFORMS = List.of(
            "linux/amd64",
            "linux/arm64",
            "linux/arm/v7",
            "linux/arm/v6",
            "linux/386",
            "linux/ppc64le",
            "linux/s390x",
            "linux/riscv64",
            "windows/amd64");

    private RegistryOptions(CommandSpec spec, Function<String, String> env, List<Extra> has) {
        this.spec = spec;
        this.env = env;
        platform = has.contains(Extra.PLATFORM)
                ? CommandSpecs.option(
                        spec,
                        String.class,
                        "OS/ARCH[/VARIANT]",
                        null,
                        "Platform to pick from a multi-platform image (default: linux/<this machine's CPU>).",
                        COMMON_PLATFORMS,
                        "--platform")
                : null;
        insecure = CommandSpecs.listOption(
                spec,
                "HOST[:PORT]",
                "Reach this registry over plain HTTP (loopback hosts always are). Repeatable.",
                "--insecure");
        caFile = CommandSpecs.listOption(
                spec,
                "FILE",
                "Trust the CA certificate(s) in FILE (PEM) for this run, on top of the system's and"
                        + " certs.d's. Repeatable.",
                "--ca-file");
        username = CommandSpecs.option(
                spec,
                String.class,
                "USER",
                null,
                "Log in as USER (with --password-stdin) instead of using the Docker config.",
                "-u",
                "--username");
        passwordStdin =
                CommandSpecs.flag(spec, "Read the password for --username from standard input.", "--password-stdin");
        allowForeignUrls = has.contains(Extra.FOREIGN_LAYERS)
                ? CommandSpecs.flag(
                        spec,
                        "Fetch a foreign layer the registry lacks from the URLs its manifest lists (hosts the image"
                                + " names).",
                        "--allow-foreign-urls")
                : null;
        connections = has.contains(Extra.CONNECTIONS)
                ? CommandSpecs.option(
                        spec,
                        int.class,
                        "N",
                        "4",
                        "Fetch a big layer over N connections at once, in ranged chunks (default: ${DEFAULT-VALUE};"
                                + " 1: one stream).",
                        "--connections")
                : null;
        String trace = "Trace HTTP requests on stderr (credentials are never shown).";
        verbose = has.contains(Extra.OWN_SHORT_V)
                ? CommandSpecs.flag(spec, trace, "--verbose")
                : CommandSpecs.flag(spec, trace, "-v", "--verbose");
    }

    /** The platform asked for with {@code --platform}, or empty for the default. */
    public Optional<Platform> platform() {
        String value = platform == null ? null : platform.getValue();
        return value == null ? Optional.empty() : Optional.of(Platform.parse(value));
    }

    public ImageReference reference(String image) {
        return ImageReference.parse(image);
    }

    /**
     * Resolves {@code ref} for the {@code --platform} asked for. An image that is not multi-platform is what
     * it is; when its config names another platform than the one asked for, a warning says so.
     */
    public ResolvedImage resolve(RegistryClient client, ImageReference ref) {
        Optional<Platform> wanted = platform();
        ResolvedImage image = client.resolve(ref, wanted);
        if (wanted.isPresent()
                && image.indexDigest().isEmpty()
                && image.platform().isPresent()
                && !wanted.get().accepts(image.platform().get())) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(ErrorReporter.oneLine("regx: warning: " + ref + " is a single-platform image for "
                    + image.platform().get() + ", not " + wanted.get()));
            err.flush();
        }
        return image;
    }

    /** A client configured from the options, warnings and traces going to the command's stderr. */
    public RegistryClient client(ImageReference ref) {
        PrintWriter err = spec.commandLine().getErr();
        Set<String> insecureHosts = insecureHosts();
        return RegistryClient.builder()
                .proxies(proxies())
                .credentials(credentials(ref, err))
                .insecureHosts(insecureHosts)
                .trustedCertificates(trustedCertificates())
                .allowForeignUrls(allowForeignUrls != null && CommandSpecs.isSet(allowForeignUrls))
                .trace(CommandSpecs.isSet(verbose) ? new StderrTrace(err) : HttpTrace.off())
                .retryNotices(new WarningLines(err))
                .parallelFetch(parallelFetch())
                .build();
    }

    /** What {@code --connections} asks for; one stream for a command without the option. */
    private ParallelFetch parallelFetch() {
        if (connections == null) {
            return ParallelFetch.OFF;
        }
        int n = connections.getValue();
        if (n < 1 || n > MAX_CONNECTIONS) {
            throw new ParameterException(
                    spec.commandLine(), "--connections takes 1 to " + MAX_CONNECTIONS + ", not " + n);
        }
        return ParallelFetch.of(n);
    }

    /**
     * The {@code --insecure} hosts. A value that cannot be a HOST[:PORT] (a URL, an empty or spaced value)
     * would silently never match and leave the registry on HTTPS: a usage error instead, which repeats the
     * value only when it cannot hold credentials.
     */
    private Set<String> insecureHosts() {
        Set<String> hosts = new LinkedHashSet<>();
        for (String value : CommandSpecs.strings(insecure)) {
            if (!ImageReference.isRegistryName(value)) {
                throw new ParameterException(
                        spec.commandLine(),
                        "--insecure takes HOST[:PORT] (e.g. registry.lan:5000), "
                                + (value.contains("://")
                                        ? "not a URL" + urlHostAdvice(value)
                                        : value.contains("@") ? "without credentials" : "not \"" + value + "\""));
            }
            hosts.add(value);
        }
        return hosts;
    }

    /** "; use --insecure HOST" for a URL whose host part is a registry name (credentials left out), else "". */
    private static String urlHostAdvice(String url) {
        String rest = url.substring(url.indexOf("://") + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
        return ImageReference.isRegistryName(hostAndPort) ? ": use --insecure " + hostAndPort : "";
    }

    /**
     * Docker's certs.d directories ({@code /etc/docker/certs.d}, then {@code ~/.docker/certs.d}) and the {@code
     * --ca-file}s.
     */
    private TrustedCertificates trustedCertificates() {
        List<Path> directories = new ArrayList<>();
        directories.add(Path.of("/etc/docker/certs.d"));
        String home = env.apply("HOME");
        if (home != null && !home.isEmpty()) {
            directories.add(Path.of(home, ".docker", "certs.d"));
        }
        List<Path> files = new ArrayList<>();
        for (String file : CommandSpecs.strings(caFile)) {
            files.add(Path.of(file));
        }
        try {
            return TrustedCertificates.of(directories, files);
        } catch (UsageException e) {
            throw new CommandFailure(ExitCode.USAGE, e.getMessage());
        }
    }

    /** HTTPS_PROXY, HTTP_PROXY and NO_PROXY, as curl and the Go tools read them. */
    private EnvironmentProxies proxies() {
        try {
            return EnvironmentProxies.from(env);
        } catch (UsageException e) {
            throw new CommandFailure(ExitCode.USAGE, e.getMessage());
        }
    }

    /**
     * Docker's order: {@code --username} with {@code --password-stdin} for the image's registry, then the
     * Docker config and its credential helpers. Helper failures become one warning line on stderr.
     */
    CredentialSource credentials(ImageReference ref, PrintWriter err) {
        CredentialSource config = DockerConfigCredentials.fromEnvironment(env, new WarningLines(err));
        String user = username.getValue();
        boolean fromStdin = CommandSpecs.isSet(passwordStdin);
        if (user == null) {
            if (fromStdin) {
                throw new ParameterException(spec.commandLine(), "--password-stdin needs --username");
            }
            return config;
        }
        if (!fromStdin) {
            throw new ParameterException(
                    spec.commandLine(),
                    "--username needs --password-stdin "
                            + "(passwords on the command line end up in shell history and process lists)");
        }
        try {
            return CredentialChain.of(StaticCredentials.fromPasswordStdin(ref.registry(), user, System.in), config);
        } catch (IOException e) {
            throw new CommandFailure(ExitCode.USAGE, "cannot read the password from standard input: " + e.getMessage());
        }
    }

    /** {@code --verbose} traces, one line each, prefixed so they stand apart from regular output. */
    private record StderrTrace(PrintWriter err) implements HttpTrace {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public void line(String text) {
            err.println("regx: " + ErrorReporter.oneLine(text));
            err.flush();
        }
    }

    /** Credential helper problems and waits for a registry that is slow to answer: a warning line each on stderr. */
    private record WarningLines(PrintWriter err) implements CredentialWarnings, RetryNotices {
        @Override
        public void warn(String line) {
            err.println("regx: warning: " + ErrorReporter.oneLine(line));
            err.flush();
        }

        @Override
        public void retrying(String line) {
            warn(line);
        }
    }
}
