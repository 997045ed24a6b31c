package dev.regx.layer;

import java.util.Locale;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarUtils;

/**
 * How a layer blob is compressed.
 *
 * <p>Registries report a media type for every layer, but it is sometimes wrong (old pushers label plain tars as
 * gzip, some label zstd as gzip), so {@link LayerStreams} trusts the magic bytes from {@link #detect(byte[])} first
 * and uses {@link #fromMediaType(String)} only when the bytes say nothing.
 */
public enum LayerCompression {
    GZIP(".tar.gzip"),
    ZSTD(".tar.zst"),
    NONE(".tar"),
    /** Neither the magic bytes nor the media type tell; the blob may not be a tar at all. */
    UNKNOWN(".bin");

    /** Bytes {@link #detect(byte[])} wants to see: a whole tar header, to find "ustar" or check a v7 checksum. */
    public static final int DETECTION_BYTES = 512;

    private final String fileExtension;

    LayerCompression(String fileExtension) {
        this.fileExtension = fileExtension;
    }

    /** File name ending for a saved blob of this compression, e.g. {@code .tar.gzip}; {@code .bin} if unknown. */
    public String fileExtension() {
        return fileExtension;
    }

    /**
     * Compression named by a layer media type: the Docker v2 types ({@code
     * application/vnd.docker.image.rootfs.diff.tar.gzip}, {@code ...foreign.diff.tar.gzip}, {@code ...diff.tar}) and
     * the OCI ones ({@code application/vnd.oci.image.layer.v1.tar}, {@code +gzip}, {@code +zstd}, and their {@code
     * nondistributable} variants). Parameters after {@code ;} are ignored. Null, blank or unrecognised types give
     * {@link #UNKNOWN}.
     */
    public static LayerCompression fromMediaType(String mediaType) {
        if (mediaType == null) {
            return UNKNOWN;
        }
        String type = mediaType.toLowerCase(Locale.ROOT);
        int parameters = type.indexOf(';');
        if (parameters >= 0) {
            type = type.substring(0, parameters);
        }
        type = type.strip();
        if (type.endsWith("+gzip") || type.endsWith(".tar.gzip") || type.endsWith(".tar.gz")) {
            return GZIP;
        }
        if (type.endsWith("+zstd") || type.endsWith(".tar.zstd") || type.endsWith(".tar.zst")) {
            return ZSTD;
        }
        if (type.endsWith(".tar") || type.equals("application/x-tar")) {
            return NONE;
        }
        return UNKNOWN;
    }

    /**
     * Compression told by the first bytes of a blob: gzip {@code 1f 8b}, zstd {@code 28 b5 2f fd}, and an
     * uncompressed tar by "ustar" at offset 257, a valid old-style (v7) header checksum, or an all-zero first
     * block (an empty archive). Anything else, including too few bytes to tell, gives {@link #UNKNOWN}.
     *
     * @param head the first bytes of the blob; up to {@link #DETECTION_BYTES} are looked at
     */
    public static LayerCompression detect(byte[] head) {
        return detect(head, head.length);
    }

    /** As {@link #detect(byte[])}, looking only at the first {@code length} bytes of {@code head}. */
    public static LayerCompression detect(byte[] head, int length) {
        if (length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (length >= 4
                && (head[0] & 0xff) == 0x28
                && (head[1] & 0xff) == 0xb5
                && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return looksLikeTar(head, length) ? NONE : UNKNOWN;
    }

    /** True if the bytes start with a tar header (or the zero block that ends an empty archive). */
    static boolean looksLikeTar(byte[] head, int length) {
        if (length < DETECTION_BYTES) {
            return false;
        }
        if (TarArchiveInputStream.matches(head, length)) {
            return true;
        }
        boolean allZero = true;
        for (int i = 0; i < DETECTION_BYTES && allZero; i++) {
            allZero = head[i] == 0;
        }
        // A v7 header has no magic; its checksum is the only evidence. An all-zero block also passes the
        // checksum test in some implementations, so it is recognised explicitly instead.
        return allZero || (head[0] != 0 && checksumMatches(head));
    }

    private static boolean checksumMatches(byte[] header) {
        try {
            return TarUtils.verifyCheckSum(header);
        } catch (IllegalArgumentException notOctal) {
            return false; // the checksum field of random bytes is rarely even octal digits
        }
    }
}
