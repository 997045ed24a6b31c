package dev.regx.registry;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest {@code ALGORITHM:HEX}; sha256 and sha512 are the ones registries use. */
public record Digest(String algorithm, String hex) {
    /** The OCI grammar of a digest, {@code algorithm:encoded}, whatever the algorithm. */
    private static final Pattern FORM = Pattern.compile("[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");

    /** Whether {@code digest} has the form of a digest (not whether regx can verify its algorithm). */
    public static boolean isWellFormed(String digest) {
        return FORM.matcher(digest).matches();
    }

    /** The digests regx can check: sha256 and sha512, in the lower-case hex of their full length. */
    private static final Pattern VERIFIABLE = Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");

    /**
     * Whether regx can verify content against {@code digest}. A registry may name any algorithm the OCI
     * grammar allows, but content regx cannot hash is content it cannot trust, so it is refused up front
     * rather than when the first byte arrives; upper-case or short hex would never match either.
     */
    public static boolean isVerifiable(String digest) {
        return VERIFIABLE.matcher(digest).matches();
    }

    public static Digest parse(String digest) {
        int colon = digest.indexOf(':');
        if (colon <= 0 || colon == digest.length() - 1) {
            throw new IllegalArgumentException("not a digest: \"" + digest + "\"");
        }
        return new Digest(digest.substring(0, colon), digest.substring(colon + 1));
    }

    /**
     * Content up to this size is hashed by {@link Sha256} (manifests, configs: a few KB), larger content by
     * the JDK's implementation, which is faster once compiled.
     */
    static final long SMALL_CONTENT = 1 << 20;

    /**
     * A fresh hasher of this digest's algorithm from the JDK, for content that is streamed and may be large
     * (layers). The first one sets up the JDK's provider framework (see {@link Sha256}).
     */
    public MessageDigest newHasher() {
        String jca = switch (algorithm) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unsupported digest algorithm \"" + algorithm + "\"");
        };
        try {
            return MessageDigest.getInstance(jca);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(jca + " is missing from this JVM", e);
        }
    }

    /** A fresh hasher of this digest's algorithm for content of {@code size} bytes (negative: unknown). */
    public MessageDigest hasherFor(long size) {
        if (algorithm.equals("sha256") && size >= 0 && size <= SMALL_CONTENT) {
            return new Sha256();
        }
        return newHasher();
    }

    /** The sha256 digest of {@code bytes}. */
    public static Digest sha256(byte[] bytes) {
        return of("sha256", new Digest("sha256", "").hasherFor(bytes.length).digest(bytes));
    }

    public static Digest of(String algorithm, byte[] hash) {
        return new Digest(algorithm, HexFormat.of().formatHex(hash));
    }

    /** Whether {@code hash}, computed with this digest's algorithm, is this digest. */
    public boolean matches(byte[] hash) {
        return HexFormat.of().formatHex(hash).equals(hex);
    }

    /**
     * Checks a blob's hash against this digest.
     *
     * @throws RegistryException {@code DIGEST_MISMATCH} naming {@code what} and both digests
     */
    public void check(byte[] hash, String what) {
        if (!matches(hash)) {
            throw new RegistryException(
                    RegistryException.Kind.DIGEST_MISMATCH,
                    what + " has digest " + of(algorithm, hash) + ", not " + this
                            + "; the registry or a proxy sent corrupt data");
        }
    }

    /** The first {@code n} hex digits, e.g. for file names. */
    public String shortHex(int n) {
        return hex.substring(0, Math.min(n, hex.length()));
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }
}
