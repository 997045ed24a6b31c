package dev.regx.registry.manifest;

import java.util.List;

/** The media types of the Docker image format (schema 2) and the OCI image specification. */
public final class MediaTypes {
    private MediaTypes() {}

    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_SCHEMA1 = "application/vnd.docker.distribution.manifest.v1+json";
    public static final String DOCKER_SCHEMA1_SIGNED = "application/vnd.docker.distribution.manifest.v1+prettyjws";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

    /**
     * What we ask for. Every type must be listed: distribution answers 404 for an OCI manifest whose type
     * the client did not accept, rather than a different representation.
     */
    public static final List<String> ACCEPTED_MANIFESTS =
            List.of(OCI_INDEX, DOCKER_MANIFEST_LIST, OCI_MANIFEST, DOCKER_MANIFEST);

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    public static boolean isImageManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }

    public static boolean isSchema1(String mediaType) {
        return DOCKER_SCHEMA1.equals(mediaType) || DOCKER_SCHEMA1_SIGNED.equals(mediaType);
    }

    /**
     * A short, readable form of a media type for tables: {@code docker/tar+gzip}, {@code oci/tar+zstd},
     * {@code oci/tar}, {@code oci/nondist/tar+gzip}. Unknown types are returned whole.
     */
    public static String shortForm(String mediaType) {
        if (mediaType == null || mediaType.isEmpty()) {
            return "-";
        }
        String dockerLayer = "application/vnd.docker.image.rootfs.";
        String ociLayer = "application/vnd.oci.image.layer.";
        if (mediaType.startsWith(dockerLayer)) {
            String rest = mediaType.substring(dockerLayer.length());
            boolean foreign = rest.startsWith("foreign.");
            rest = foreign ? rest.substring("foreign.".length()) : rest;
            String format = switch (rest) {
                case "diff.tar.gzip" -> "tar+gzip";
                case "diff.tar.zstd" -> "tar+zstd";
                case "diff.tar" -> "tar";
                default -> null;
            };
            if (format != null) {
                return "docker/" + (foreign ? "foreign/" : "") + format;
            }
        }
        if (mediaType.startsWith(ociLayer)) {
            String rest = mediaType.substring(ociLayer.length());
            boolean nondist = rest.startsWith("nondistributable.");
            rest = nondist ? rest.substring("nondistributable.".length()) : rest;
            if (rest.startsWith("v1.")) {
                return "oci/" + (nondist ? "nondist/" : "") + rest.substring(3);
            }
        }
        return mediaType;
    }
}
