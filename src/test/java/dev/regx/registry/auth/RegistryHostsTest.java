package dev.regx.registry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RegistryHostsTest {
    @ParameterizedTest
    @CsvSource({
        "https://index.docker.io/v1/, docker.io",
        "https://index.docker.io/v1, docker.io",
        "index.docker.io, docker.io",
        "registry-1.docker.io, docker.io",
        "docker.io, docker.io",
        "https://host:5000/v2/, host:5000",
        "http://host/v2/, host",
        "https://host, host",
        "https://user@host:5000, host:5000",
        "host:5000, host:5000",
        "host:5000/, host:5000",
        "host/some/path, host",
        "HOST.Example.COM, host.example.com",
    })
    void configKeysAreReducedToHostAndPort(String key, String expected) {
        assertThat(RegistryHosts.canonicalKey(key)).isEqualTo(expected);
    }
}
