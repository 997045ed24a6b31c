package dev.regx.registry.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RegistryEndpointTest {
    @Test
    void loopbackHostsAndNamedInsecureHostsUsePlainHttpEverythingElseHttps() {
        assertThat(RegistryEndpoint.of("localhost:5000", Set.of()).resolve("v2/"))
                .hasToString("http://localhost:5000/v2/");
        assertThat(RegistryEndpoint.of("127.0.0.9:5000", Set.of()).isPlainHttp())
                .isTrue();
        assertThat(RegistryEndpoint.of("[::1]:5000", Set.of()).isPlainHttp()).isTrue();
        assertThat(RegistryEndpoint.of("registry-1.docker.io", Set.of()).resolve("v2/"))
                .hasToString("https://registry-1.docker.io/v2/");
        assertThat(RegistryEndpoint.of("10.0.0.5:5000", Set.of("10.0.0.5:5000")).isPlainHttp())
                .isTrue();
        assertThat(RegistryEndpoint.of("10.0.0.5:5000", Set.of("10.0.0.5")).isPlainHttp())
                .isTrue();
        assertThat(RegistryEndpoint.of("127.example.com", Set.of()).isPlainHttp())
                .isFalse();
    }

    @Test
    void aLoopbackHostWithItsOwnCertificatesSpeaksHttpsUnlessNamedInsecure() {
        assertThat(RegistryEndpoint.of("127.0.0.1:5000", Set.of(), true).resolve("v2/"))
                .hasToString("https://127.0.0.1:5000/v2/");
        assertThat(RegistryEndpoint.of("127.0.0.1:5000", Set.of(), false).isPlainHttp())
                .isTrue();
        assertThat(RegistryEndpoint.of("127.0.0.1:5000", Set.of("127.0.0.1:5000"), true)
                        .isPlainHttp())
                .isTrue();
    }

    @Test
    void insecureHostNamesMatchWhateverTheirCase() {
        assertThat(RegistryEndpoint.of("registry.lan:5000", Set.of("REGISTRY.LAN:5000"))
                        .isPlainHttp())
                .isTrue();
        assertThat(RegistryEndpoint.of("Registry.Lan:5000", Set.of("registry.lan"))
                        .isPlainHttp())
                .isTrue();
        assertThat(RegistryEndpoint.of("registry.lan:5001", Set.of("registry.lan:5000"))
                        .isPlainHttp())
                .isFalse();
    }

    @Test
    void sameOriginMeansSchemeHostAndPortWithDefaultPortsFilledIn() {
        RegistryEndpoint hub = RegistryEndpoint.of("registry-1.docker.io", Set.of());
        assertThat(hub.isSameOrigin(URI.create("https://registry-1.docker.io:443/v2/x")))
                .isTrue();
        assertThat(hub.isSameOrigin(URI.create("https://REGISTRY-1.docker.io/v2/x")))
                .isTrue();
        assertThat(hub.isSameOrigin(URI.create("http://registry-1.docker.io/v2/x")))
                .isFalse();
        assertThat(hub.isSameOrigin(URI.create("https://registry-1.docker.io:8443/v2/x")))
                .isFalse();
        assertThat(hub.isSameOrigin(URI.create("https://production.cloudflare.docker.com/registry-v2/x")))
                .isFalse();
    }
}
