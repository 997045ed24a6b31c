package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.regx.testing.Fixtures;
import dev.regx.testing.LocalRegistry;
import dev.regx.testing.PushedImage;
import dev.regx.testing.RegistryPusher;
import dev.regx.testing.RequiresRegistry;
import dev.regx.testing.TlsCertificate;
import dev.regx.testing.TokenServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry serving HTTPS with a certificate no system trust store holds (the suite's registry with
 * {@code http.tls}, token auth), reached through certs.d and through --ca-file, and refused without them.
 */
@RequiresRegistry
class PrivateCaTest {
    private static TokenServer tokens;
    private static LocalRegistry registry;
    private static PushedImage alpine;

    @TempDir
    static Path certificates;

    @TempDir
    Path home;

    @BeforeAll
    static void start() throws Exception {
        tokens = TokenServer.standard().start();
        registry = LocalRegistry.builder()
                .tokenAuth(tokens)
                .tls(TlsCertificate.create(certificates))
                .start();
        alpine = new RegistryPusher(registry).push(Fixtures.ALPINE_REPOSITORY, "3.19", Fixtures.alpine());
    }

    @AfterAll
    static void stop() {
        registry.close();
        tokens.close();
    }

    private static Path caPem() {
        return registry.tls().orElseThrow().certificatePem();
    }

    private CommandRun regx(String... args) {
        return CommandRun.run(home, args);
    }

    /** {@code ~/.docker/certs.d/HOST/ca.crt} holding {@code pem}. */
    private void certsD(String host, Path pem) throws Exception {
        Path dir = Files.createDirectories(home.resolve(".docker/certs.d").resolve(host));
        Files.copy(pem, dir.resolve("ca.crt"));
    }

    @Test
    void aCaInTheHostsCertsDirectoryIsTrustedAndMakesALoopbackRegistryHttps() throws Exception {
        certsD(registry.host(), caPem());

        CommandRun run = regx("config", "--verbose", alpine.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(new String(alpine.image().config(), StandardCharsets.UTF_8));
        assertThat(run.err()).contains("> GET https://" + registry.host() + "/v2/");
    }

    @Test
    void aCaFileIsTrustedForThisRun() {
        CommandRun run = regx("digest", "--ca-file", caPem().toString(), alpine.reference());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).isEqualTo(alpine.digest() + "\n");
    }

    @Test
    void anotherCaIsRefusedWithALineThatNamesTheRemedy() throws Exception {
        Path other = Files.createDirectory(home.resolve("other"));
        certsD(registry.host(), TlsCertificate.create(other).certificatePem());

        CommandRun run = regx("digest", alpine.reference());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCode.NETWORK.code());
        assertThat(run.errLines())
                .singleElement()
                .asString()
                .contains(
                        "https://" + registry.host(),
                        home.resolve(".docker/certs.d/" + registry.host() + "/ca.crt")
                                .toString(),
                        "/etc/docker/certs.d/" + registry.host() + "/ca.crt",
                        "--ca-file FILE");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aCaFileThatIsNoCertificateIsAUsageError() throws Exception {
        Path garbage = Files.writeString(home.resolve("ca.pem"), "not a certificate\n");

        CommandRun missing =
                regx("digest", "--ca-file", home.resolve("none.pem").toString(), alpine.reference());
        CommandRun notPem = regx("digest", "--ca-file", garbage.toString(), alpine.reference());

        assertThat(missing.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(missing.errLines()).singleElement().asString().contains("none.pem", "no such file");
        assertThat(notPem.exitCode()).isEqualTo(ExitCode.USAGE.code());
        assertThat(notPem.errLines()).singleElement().asString().contains("ca.pem");
    }

    /**
     * Under a name (not a loopback address), as a company registry is reached: HTTPS whatever is configured,
     * refused without the CA, trusted with it. A child JVM, whose host file maps the name to 127.0.0.1.
     */
    @Test
    void aRegistryByNameIsRefusedWithoutItsCaAndReachedWithIt() throws Exception {
        Path hosts = Files.writeString(home.resolve("hosts"), "127.0.0.1 " + TlsCertificate.HOST_NAME + "\n");
        List<String> jvm = List.of("-Djdk.net.hosts.file=" + hosts);
        String host = TlsCertificate.HOST_NAME + ":" + registry.port();
        String image = host + "/" + Fixtures.ALPINE_REPOSITORY + ":3.19";

        ProcessRun refused = ProcessRun.runWithJvmOptions(jvm, home, home, "digest", image);
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.NETWORK.code());
        assertThat(refused.err().lines())
                .singleElement()
                .asString()
                .startsWith("regx: cannot reach https://" + host + "/v2/")
                .contains("signed by no CA that regx trusts")
                .contains("/etc/docker/certs.d/" + host + "/ca.crt", "--ca-file FILE");

        ProcessRun caFile =
                ProcessRun.runWithJvmOptions(jvm, home, home, "digest", "--ca-file", caPem().toString(), image);
        assertThat(caFile.exitCode()).as(caFile.toString()).isZero();
        assertThat(caFile.outText()).isEqualTo(alpine.digest() + "\n");

        certsD(host, caPem());
        ProcessRun certsD = ProcessRun.runWithJvmOptions(jvm, home, home, "digest", image);
        assertThat(certsD.exitCode()).as(certsD.toString()).isZero();
    }
}
