package dev.regx.registry.transport;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Says in words what went wrong with a connection, and what to try, for the one line a failed command prints:
 * "no such host registry.lan; check the name" rather than "UnknownHostException: registry.lan". The
 * exception's class name is kept only for failures it does not know.
 */
public final class NetworkFailureText {
    private NetworkFailureText() {}

    /** What happened, e.g. {@code connection refused}. */
    public static String of(IOException failure) {
        IOException e = BodyReadException.unwrap(failure);
        String message = e.getMessage() == null
                ? ""
                : e.getMessage().replaceAll("[\\r\\n]+", " ").strip();
        if (e instanceof UnknownHostException) {
            return message.isEmpty() ? "unknown host" : "no such host " + message;
        }
        if (e instanceof ConnectException) {
            return message.isEmpty() ? "cannot connect" : lowerFirst(message);
        }
        if (e instanceof NoRouteToHostException) {
            return "no route to host";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer in time" + (message.isEmpty() ? "" : " (" + lowerFirst(message) + ")");
        }
        if (e instanceof SSLHandshakeException && message.contains("unable to find valid certification path")) {
            // The JDK's words ("PKIX path building failed: sun.security...SunCertPathBuilderException: ...").
            return "TLS handshake failed: its certificate is signed by no CA that regx trusts";
        }
        if (e instanceof SSLHandshakeException) {
            return "TLS handshake failed" + (message.isEmpty() ? "" : ": " + message);
        }
        if (e instanceof SSLException) {
            return "TLS failure" + (message.isEmpty() ? "" : ": " + message);
        }
        if (e instanceof SocketException && !message.isEmpty()) {
            return lowerFirst(message);
        }
        if (e instanceof java.io.EOFException && message.isEmpty()) {
            return "the connection ended early";
        }
        if (e.getClass() == IOException.class && !message.isEmpty()) {
            return message; // regx's own words ("the connection ended after N of M bytes")
        }
        String type = e.getClass().getSimpleName();
        return message.isEmpty() ? type : type + ": " + message;
    }

    /** What to try, for failures where there is something to say; empty otherwise. */
    public static String advice(IOException failure) {
        IOException e = BodyReadException.unwrap(failure);
        if (e instanceof UnknownHostException) {
            return "; check the registry's name (and DNS)";
        }
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) {
            return "; check that the registry is up and listens on that port";
        }
        if (e instanceof SocketTimeoutException) {
            return "; the registry or the network is slow or down: try again later";
        }
        return "";
    }

    private static String lowerFirst(String s) {
        return s.length() > 1 && Character.isUpperCase(s.charAt(0)) && Character.isLowerCase(s.charAt(1))
                ? Character.toLowerCase(s.charAt(0)) + s.substring(1)
                : s;
    }
}
