package dev.regx.registry.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** HTTPS_PROXY / HTTP_PROXY / NO_PROXY read as curl and Go's net/http read them; no name is ever looked up. */
class EnvironmentProxiesTest {
    private static EnvironmentProxies proxies(Map<String, String> env) {
        return EnvironmentProxies.from(env::get);
    }

    private static String via(EnvironmentProxies proxies, String url) {
        Proxy p = proxies.proxyFor(URI.create(url));
        if (p == Proxy.NO_PROXY) {
            return "direct";
        }
        InetSocketAddress a = (InetSocketAddress) p.address();
        return p.type() + " " + a.getHostString() + ":" + a.getPort();
    }

    @Test
    void nothingSetMeansNoProxyConfigured() {
        EnvironmentProxies none = proxies(Map.of());
        assertThat(none.configured()).isFalse();
        assertThat(via(none, "https://registry-1.docker.io/v2/")).isEqualTo("direct");
        assertThat(proxies(Map.of("NO_PROXY", "*")).configured()).isFalse();
    }

    @Test
    void httpsUrlsUseHttpsProxyAndHttpUrlsHttpProxyUpperCaseFirst() {
        EnvironmentProxies p = proxies(Map.of(
                "HTTPS_PROXY",
                "http://proxy.corp:3128",
                "https_proxy",
                "http://other:1",
                "http_proxy",
                "plain.corp:8080"));
        assertThat(via(p, "https://registry-1.docker.io/v2/")).isEqualTo("HTTP proxy.corp:3128");
        assertThat(via(p, "http://registry.corp:5000/v2/")).isEqualTo("HTTP plain.corp:8080");
    }

    @Test
    void onlyOneSchemeConfiguredLeavesTheOtherDirect() {
        EnvironmentProxies p = proxies(Map.of("HTTPS_PROXY", "proxy.corp:3128"));
        assertThat(via(p, "http://registry.corp:5000/v2/")).isEqualTo("direct");
    }

    @Test
    void socksAndDefaultPorts() {
        assertThat(via(proxies(Map.of("HTTPS_PROXY", "socks5://socks.corp")), "https://ghcr.io/v2/"))
                .isEqualTo("SOCKS socks.corp:1080");
        assertThat(via(proxies(Map.of("HTTPS_PROXY", "http://proxy.corp")), "https://ghcr.io/v2/"))
                .isEqualTo("HTTP proxy.corp:80");
    }

    @ParameterizedTest(name = "NO_PROXY={0}: {1} goes {2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "corp.example           | https://registry.corp.example/v2/     | direct",
                "corp.example           | https://corp.example/v2/              | direct",
                "corp.example           | https://notcorp.example/v2/           | proxied",
                ".corp.example          | https://corp.example/v2/              | proxied",
                ".corp.example          | https://a.corp.example/v2/            | direct",
                "*.corp.example         | https://a.corp.example/v2/            | direct",
                "registry.corp:5000     | https://registry.corp:5000/v2/        | direct",
                "registry.corp:5000     | https://registry.corp/v2/             | proxied",
                "10.0.0.0/8             | https://10.1.2.3:5000/v2/             | direct",
                "10.0.0.0/8             | https://11.1.2.3/v2/                  | proxied",
                "10.0.0.0/8             | https://ten.corp/v2/                  | proxied",
                "192.168.1.7            | https://192.168.1.7/v2/               | direct",
                "fd00::/8               | https://[fd00::1]:5000/v2/            | direct",
                "' a.corp , B.CORP '    | https://b.corp/v2/                    | direct",
                "*                      | https://anything.example/v2/          | direct",
                "''                     | https://localhost:5000/v2/            | direct",
                "''                     | https://127.0.0.1:5000/v2/            | direct",
                "''                     | https://[::1]:5000/v2/                | direct",
                "''                     | https://registry-1.docker.io/v2/      | proxied"
            })
    void noProxyAndLoopbackFollowGo(String noProxy, String url, String expected) {
        EnvironmentProxies p = proxies(Map.of("HTTPS_PROXY", "http://proxy.corp:3128", "NO_PROXY", noProxy));
        assertThat(via(p, url)).isEqualTo(expected.equals("direct") ? "direct" : "HTTP proxy.corp:3128");
    }

    @Test
    void lowerCaseNoProxyIsReadToo() {
        EnvironmentProxies p = proxies(Map.of("https_proxy", "proxy.corp:3128", "no_proxy", "ghcr.io"));
        assertThat(via(p, "https://ghcr.io/v2/")).isEqualTo("direct");
    }

    @Test
    void credentialsInTheProxyUrlAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> proxies(Map.of("HTTPS_PROXY", "http://alice:s3cret@proxy.corp:3128")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("HTTPS_PROXY carries credentials")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void aProxyReachedOverTlsOrNotAUrlIsRefusedNamingTheVariable() {
        assertThatThrownBy(() -> proxies(Map.of("HTTPS_PROXY", "https://proxy.corp:3128")))
                .hasMessage("HTTPS_PROXY uses https://: regx reaches proxies over http:// or socks5:// only");
        assertThatThrownBy(() -> proxies(Map.of("HTTP_PROXY", "http://")))
                .hasMessage("HTTP_PROXY is not a proxy URL: \"http://\"");
        assertThatThrownBy(() -> proxies(Map.of("http_proxy", "http://proxy.corp:99999")))
                .as("the variable as the user spelled it")
                .hasMessage("http_proxy names port 99999, not one of 1-65535: " + "\"http://proxy.corp:99999\"");
    }

    @Test
    void messagesNameTheProxyAndTheVariableItCameFrom() {
        EnvironmentProxies p = proxies(Map.of(
                "https_proxy", "proxy.corp:3128", "HTTP_PROXY", "socks5://socks.corp", "NO_PROXY", "internal.corp"));

        assertThat(p.describeFor(URI.create("https://ghcr.io/v2/")))
                .contains("http proxy proxy.corp:3128 of https_proxy");
        assertThat(p.describeFor(URI.create("http://registry.lan/v2/")))
                .contains("socks proxy socks.corp:1080 of HTTP_PROXY");
        assertThat(p.describeFor(URI.create("https://internal.corp/v2/"))).isEmpty();
        assertThat(p.describeFor(URI.create("http://127.0.0.1:5000/v2/"))).isEmpty();
    }
}
