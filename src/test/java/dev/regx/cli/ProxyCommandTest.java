package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.testing.ForwardProxy;
import dev.regx.testing.PushedImage;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.SharedRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * regx behind a forward proxy named by HTTP_PROXY, the way corporate CI reaches registries. The registry is
 * addressed as {@code registry.proxied.test:PORT}, a name only the proxy knows (it maps it to the real
 * registry on 127.0.0.1): regx can only succeed by going through the proxy, and never looks the name up.
 * The token server and the blob server are on 127.0.0.1, which is never proxied.
 */
@RequiresRegistry
class ProxyCommandTest {
    private static SharedRegistry shared;
    private static ForwardProxy proxy;
    private static String proxiedHost;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        shared = SharedRegistry.get();
        int port = shared.registry().port();
        proxiedHost = "registry.proxied.test:" + port;
        proxy = ForwardProxy.start(Map.of(proxiedHost, "127.0.0.1:" + port));
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
    }

    private CommandRun regx(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_CONFIG", home.toString());
        env.put("HOME", home.toString());
        env.putAll(extraEnv);
        return CommandRun.run(env, args);
    }

    private String proxied(PushedImage image) {
        return proxiedHost + "/" + image.repository() + ":" + image.tag();
    }

    @Test
    void layersGoThroughHttpProxyWhileLoopbackTokenServerIsReachedDirectly() {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run =
                regx(Map.of("HTTP_PROXY", proxy.url()), "layers", "-q", "--insecure", proxiedHost, proxied(composer));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines())
                .containsExactlyElementsOf(
                        composer.image().layers().stream().map(l -> l.digest()).toList());
        List<String> seen = proxy.requests();
        assertThat(seen)
                .contains(
                        "GET http://" + proxiedHost + "/v2/" + composer.repository() + "/manifests/" + composer.tag());
        assertThat(seen).allSatisfy(r -> assertThat(r).contains("://" + proxiedHost + "/"));
    }

    @Test
    void saveFollowsTheRegistrysRedirectFromBehindTheProxyAndVerifiesTheBlob() throws Exception {
        PushedImage composer = shared.fixtures().composer();
        Path out = Files.createDirectories(home.resolve("out"));
        CommandRun run = regx(
                Map.of("http_proxy", proxy.url()),
                "save",
                "-q",
                "--insecure",
                proxiedHost,
                proxied(composer),
                "1",
                "-o",
                out + "/");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        Path saved = Path.of(run.out().strip());
        String digest = "sha256:"
                + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(saved)));
        assertThat(digest).isEqualTo(composer.image().layer(1).digest());
        assertThat(proxy.requests())
                .contains("GET http://" + proxiedHost + "/v2/" + composer.repository() + "/blobs/" + digest);
    }

    @Test
    void verboseTraceSaysWhichRequestsWentThroughTheProxy() {
        PushedImage composer = shared.fixtures().composer();
        CommandRun run = regx(
                Map.of("HTTP_PROXY", proxy.url()), "layers", "-v", "-q", "--insecure", proxiedHost, proxied(composer));

        assertThat(run.exitCode()).as(run.toString()).isZero();
        String address = proxy.url().substring("http://".length());
        assertThat(run.err().lines().filter(l -> l.startsWith("regx: > GET http://" + proxiedHost)))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).endsWith("(via http proxy " + address + ")"));
        assertThat(run.err().lines().filter(l -> l.startsWith("regx: > GET http://127.0.0.1")))
                .isNotEmpty()
                .allSatisfy(l -> assertThat(l).doesNotContain("via"));
    }

    @Test
    void noProxyNamingTheRegistrySkipsTheProxy() {
        PushedImage composer = shared.fixtures().composer();
        int before = proxy.requests().size();
        // Reached directly under its real loopback address: NO_PROXY must not break that, and the proxy sees nothing.
        CommandRun run = regx(
                Map.of("HTTP_PROXY", proxy.url(), "NO_PROXY", "registry.proxied.test"),
                "layers",
                "-q",
                composer.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(proxy.requests()).hasSize(before);
    }

    @Test
    void aProxyThatCannotBeReachedIsNamedInTheNetworkFailure() {
        // Port 1 on loopback: nothing listens there, so the proxy refuses every connection.
        CommandRun run = regx(
                Map.of("http_proxy", "http://127.0.0.1:1"),
                "layers",
                "-q",
                "--insecure",
                proxiedHost,
                proxied(shared.fixtures().composer()));

        assertThat(run.exitCode()).isEqualTo(ExitCode.NETWORK.code());
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .startsWith("regx: cannot reach http://" + proxiedHost + "/v2/")
                .contains(
                        "(through the http proxy 127.0.0.1:1 of http_proxy; check it, or add the registry to NO_PROXY)");
    }

    @Test
    void aProxyUrlWithCredentialsIsAUsageErrorInOneLineThatDoesNotRepeatThem() {
        CommandRun run = regx(
                Map.of("HTTPS_PROXY", "http://alice:s3cret@proxy.corp:3128"),
                "layers",
                shared.fixtures().composer().reference());

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .startsWith("regx: HTTPS_PROXY carries credentials")
                .doesNotContain("s3cret");
    }
}
