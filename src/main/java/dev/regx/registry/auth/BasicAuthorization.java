package dev.regx.registry.auth;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The {@code Authorization: Basic} value for a username and password (RFC 7617, UTF-8). */
public final class BasicAuthorization {
    private BasicAuthorization() {}

    public static String header(Credential credential) {
        String pair = credential.username() + ":" + credential.secret();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }
}
