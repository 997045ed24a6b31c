package dev.regx.registry.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class NetworkFailureTextTest {
    @Test
    void commonFailuresAreSaidInWordsWithoutJavaClassNames() {
        assertThat(NetworkFailureText.of(new UnknownHostException("registry.lan")))
                .isEqualTo("no such host registry.lan");
        assertThat(NetworkFailureText.of(new ConnectException("Connection refused")))
                .isEqualTo("connection refused");
        assertThat(NetworkFailureText.of(new SocketTimeoutException("Read timed out")))
                .isEqualTo("no answer in time (read timed out)");
        assertThat(NetworkFailureText.of(new SocketException("Connection reset")))
                .isEqualTo("connection reset");
        assertThat(NetworkFailureText.of(new SSLHandshakeException("PKIX path building failed")))
                .isEqualTo("TLS handshake failed: PKIX path building failed");
        assertThat(NetworkFailureText.of(new SSLHandshakeException("PKIX path building failed:"
                        + " sun.security.provider.certpath.SunCertPathBuilderException: unable to find valid"
                        + " certification path to requested target")))
                .isEqualTo("TLS handshake failed: its certificate is signed by no CA that regx trusts");
    }

    @Test
    void anUnknownKindOfFailureKeepsItsTypeSoItCanStillBeTracedDown() {
        assertThat(NetworkFailureText.of(new java.util.zip.ZipException("odd\nthing")))
                .isEqualTo("ZipException: odd thing");
        assertThat(NetworkFailureText.of(new java.io.InterruptedIOException())).isEqualTo("InterruptedIOException");
    }

    @Test
    void regxsOwnWordsAndABareEndOfStreamReadAsSentences() {
        assertThat(NetworkFailureText.of(new IOException("the connection ended after 5 of 9 bytes")))
                .isEqualTo("the connection ended after 5 of 9 bytes");
        assertThat(NetworkFailureText.of(new java.io.EOFException())).isEqualTo("the connection ended early");
    }

    @Test
    void adviceIsGivenWhereThereIsSomethingToTry() {
        assertThat(NetworkFailureText.advice(new UnknownHostException("x")))
                .isEqualTo("; check the registry's name (and DNS)");
        assertThat(NetworkFailureText.advice(new ConnectException("Connection refused")))
                .isEqualTo("; check that the registry is up and listens on that port");
        assertThat(NetworkFailureText.advice(new SocketTimeoutException()))
                .startsWith("; the registry or the network is slow");
        assertThat(NetworkFailureText.advice(new IOException("odd"))).isEmpty();
    }
}
