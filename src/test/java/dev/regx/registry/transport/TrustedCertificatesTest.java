package dev.regx.registry.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.regx.UsageException;
import dev.regx.testing.TlsCertificate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrustedCertificatesTest {
    @TempDir
    Path dir;

    private Path certsD() throws Exception {
        Path certsD = Files.createDirectories(dir.resolve("certs.d"));
        Path host = Files.createDirectories(certsD.resolve("registry.lan:5000"));
        Files.copy(TlsCertificate.create(dir).certificatePem(), host.resolve("ca.crt"));
        // Docker's client certificate and key: not CAs, and not read.
        Files.writeString(host.resolve("client.cert"), "not read");
        Files.writeString(host.resolve("client.key"), "not read");
        return certsD;
    }

    @Test
    void aCertsDirectoryAppliesToItsHostAndPortOnly() throws Exception {
        TrustedCertificates trust = TrustedCertificates.of(List.of(dir.resolve("missing"), certsD()), List.of());

        assertThat(trust.extendsTrustFor("registry.lan:5000")).isTrue();
        assertThat(trust.socketFactory("registry.lan:5000")).isPresent();
        assertThat(trust.extendsTrustFor("registry.lan")).isFalse();
        assertThat(trust.extendsTrustFor("registry.lan:5001")).isFalse();
        assertThat(trust.socketFactory("registry.lan")).isEmpty();
        assertThat(trust.extendsTrustFor("../certs.d/registry.lan:5000")).isFalse();
    }

    @Test
    void aCaFileAppliesToEveryHost() throws Exception {
        Path pem = TlsCertificate.create(dir).certificatePem();
        TrustedCertificates trust = TrustedCertificates.of(List.of(), List.of(pem));

        assertThat(trust.extendsTrustFor("anything.example")).isTrue();
        assertThat(trust.socketFactory("anything.example")).isPresent();
        assertThat(TrustedCertificates.NONE.extendsTrustFor("anything.example")).isFalse();
    }

    @Test
    void aCertsFileThatIsNoCertificateIsRefusedNamingIt() throws Exception {
        Path certsD = Files.createDirectories(dir.resolve("certs.d/bad.lan"));
        Files.writeString(certsD.resolve("ca.crt"), "garbage");
        TrustedCertificates trust = TrustedCertificates.of(List.of(dir.resolve("certs.d")), List.of());

        assertThatThrownBy(() -> trust.socketFactory("bad.lan"))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining(certsD.resolve("ca.crt").toString());
    }

    @Test
    void theRemedyNamesEachCertsDirectoryAndTheOption() {
        TrustedCertificates trust = TrustedCertificates.of(
                List.of(Path.of("/etc/docker/certs.d"), Path.of("/home/u/.docker/certs.d")), List.of());

        assertThat(trust.remedyFor("registry.lan:5000"))
                .isEqualTo("if a private CA signed its certificate, put that CA in"
                        + " /etc/docker/certs.d/registry.lan:5000/ca.crt or"
                        + " /home/u/.docker/certs.d/registry.lan:5000/ca.crt, or pass --ca-file FILE");
    }
}
