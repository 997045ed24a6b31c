package dev.regx.registry.transport;

import com.google.api.client.http.javanet.ConnectionFactory;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import javax.net.ssl.HttpsURLConnection;

/**
 * Opens the JDK connection under each of google-http-client's requests, choosing per URL what its
 * {@code NetHttpTransport} can only fix once per transport: the proxy (a registry may be in {@code NO_PROXY}
 * and its CDN not) and the CA certificates a host's {@code certs.d} directory adds.
 */
final class RoutedConnections implements ConnectionFactory {
    private final EnvironmentProxies proxies;
    private final TrustedCertificates trust;

    RoutedConnections(EnvironmentProxies proxies, TrustedCertificates trust) {
        this.proxies = proxies;
        this.trust = trust;
    }

    @Override
    public HttpURLConnection openConnection(URL url) throws IOException {
        java.net.URI uri;
        try {
            uri = url.toURI();
        } catch (URISyntaxException e) {
            throw new ProtocolException("not a valid URL: " + e.getMessage());
        }
        // Without proxies from the environment, openConnection() leaves the choice to the JVM's ProxySelector
        // (-Dhttps.proxyHost and friends), as a Java user would expect.
        Proxy proxy = proxies.proxyFor(uri);
        URLConnection opened = proxies.configured() ? url.openConnection(proxy) : url.openConnection();
        if (!(opened instanceof HttpURLConnection)) {
            throw new ProtocolException("not an http or https URL: " + Redaction.uri(uri));
        }
        if (trust != TrustedCertificates.NONE && opened instanceof HttpsURLConnection https) {
            trust.socketFactory(HttpTransport.authority(uri)).ifPresent(https::setSSLSocketFactory);
        }
        opened.setUseCaches(false);
        return (HttpURLConnection) opened;
    }
}
