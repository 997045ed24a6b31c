package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The warm-up's guess, from the raw arguments, of whether the command will need TLS, and its order per JDK. */
class NetworkWarmUpTest {
    @Test
    void aRegistryByNameNeedsTls() {
        assertThat(NetworkWarmUp.needsTls("layers", "alpine:3.19")).isTrue();
        assertThat(NetworkWarmUp.needsTls("save", "ghcr.io/org/img@sha256:00", "0", "-o", "out/"))
                .isTrue();
    }

    @Test
    void loopbackRegistriesAndInsecureOnesAreReachedOverPlainHttp() {
        assertThat(NetworkWarmUp.needsTls("layers", "127.0.0.1:5000/a/b:c")).isFalse();
        assertThat(NetworkWarmUp.needsTls("layers", "localhost:5000/a")).isFalse();
        assertThat(NetworkWarmUp.needsTls("ls", "[::1]:5000/a", "0")).isFalse();
        assertThat(NetworkWarmUp.needsTls("layers", "--insecure", "registry.lan:5000", "registry.lan:5000/a"))
                .isFalse();
        assertThat(NetworkWarmUp.needsTls("layers", "--insecure=registry.lan", "registry.lan/a"))
                .isFalse();
    }

    @Test
    void theFeatureVersionIsReadFromTheSpecificationVersion() {
        assertThat(NetworkWarmUp.featureVersion("17")).isEqualTo(17);
        assertThat(NetworkWarmUp.featureVersion("25")).isEqualTo(25);
        assertThat(NetworkWarmUp.featureVersion("1.8")).isEqualTo(1);
        assertThat(NetworkWarmUp.featureVersion("")).isZero();
        assertThat(NetworkWarmUp.featureVersion("x")).isZero();
    }
}
