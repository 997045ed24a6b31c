package dev.regx.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * The standard sample images, in one place: {@link #pushAll} pushes them into a registry and returns handles
 * with the facts a test asserts against (digests, sizes, media types, {@code created_by} per layer, tar
 * entries per layer). Deterministic: the same code gives the same digests on every machine, and the whole
 * set is a few KB, so pushing it takes a fraction of a second.
 *
 * <ul>
 *   <li>{@link #COMPOSER_REPOSITORY}{@code :latest}: Docker schema2, 4 gzip layers (the first is alpine's),
 *       history with {@code empty_layer} lines (ENV, CMD, WORKDIR, ENTRYPOINT) between them.</li>
 *   <li>{@link #ALPINE_REPOSITORY}{@code :3.19}: Docker schema2, one layer, so {@code alpine:3.19}-style
 *       references work against the local registry.</li>
 *   <li>{@link #MULTI_ARCH_REPOSITORY}{@code :latest}: OCI index, linux/amd64 and linux/arm64/v8 OCI
 *       manifests with distinct layers, and an attestation manifest (platform unknown/unknown) for amd64;
 *       {@code :manifest-list} is the same two platforms as a Docker manifest list of schema2 images.</li>
 *   <li>{@link #SECRET_REPOSITORY}{@code :latest}: pullable only by {@link #ALICE} (with
 *       {@link TokenServer#standard()}), by password or by {@link #ALICE_REFRESH_TOKEN}.</li>
 *   <li>{@link #FORMATS_REPOSITORY}{@code :latest}: OCI image with a gzip (PAX), a zstd (GNU long names)
 *       and an uncompressed layer holding every odd tar entry; the last layer deletes and replaces entries
 *       of the first with whiteouts and an opaque directory. See {@link Formats}.</li>
 * </ul>
 */
public final class Fixtures {
    public static final String ALICE = "alice";
    public static final String ALICE_PASSWORD = "alice-pass";
    public static final String ALICE_REFRESH_TOKEN = "alice-refresh-token";

    public static final String COMPOSER_REPOSITORY = "smoshysmosh/composer";
    public static final String ALPINE_REPOSITORY = "library/alpine";
    public static final String MULTI_ARCH_REPOSITORY = "multi/arch";
    public static final String SECRET_REPOSITORY = "private/secret";
    public static final String FORMATS_REPOSITORY = "layers/formats";

    private Fixtures() {}

    /** The pushed sample set. */
    public record Set(
            PushedImage composer,
            PushedImage alpine,
            PushedIndex multiArch,
            PushedIndex multiArchManifestList,
            PushedImage secret,
            PushedImage formats) {
        public List<PushedImage> images() {
            return List.of(composer, alpine, secret, formats);
        }
    }

    /** The images, built once per JVM (building is deterministic, so sharing them is safe). */
    private static final class Built {
        static final TestImage ALPINE = buildAlpine();
        static final TestImage COMPOSER = buildComposer(ALPINE.layer(0).layer());
        static final TestIndex MULTI_ARCH =
                buildMultiArch(TestImage.Format.OCI, TestIndex.ociIndex()).build();
        static final TestIndex MULTI_ARCH_LIST = buildMultiArch(TestImage.Format.DOCKER, TestIndex.dockerManifestList())
                .build();
        static final TestImage SECRET = buildSecret();
        static final TestImage FORMATS = buildFormats();
    }

    public static TestImage alpine() {
        return Built.ALPINE;
    }

    public static TestImage composer() {
        return Built.COMPOSER;
    }

    public static TestIndex multiArch() {
        return Built.MULTI_ARCH;
    }

    public static TestIndex multiArchManifestList() {
        return Built.MULTI_ARCH_LIST;
    }

    public static TestImage secret() {
        return Built.SECRET;
    }

    public static TestImage formats() {
        return Built.FORMATS;
    }

    /** Pushes the whole set (as admin when the registry has token auth). */
    public static Set pushAll(LocalRegistry registry) {
        return pushAll(new RegistryPusher(registry));
    }

    public static Set pushAll(RegistryPusher pusher) {
        PushedImage alpine = pusher.push(ALPINE_REPOSITORY, "3.19", alpine());
        PushedImage composer = pusher.push(COMPOSER_REPOSITORY, "latest", composer());
        PushedIndex multi = pusher.push(MULTI_ARCH_REPOSITORY, "latest", multiArch());
        PushedIndex multiList = pusher.push(MULTI_ARCH_REPOSITORY, "manifest-list", multiArchManifestList());
        PushedImage secret = pusher.push(SECRET_REPOSITORY, "latest", secret());
        PushedImage formats = pusher.push(FORMATS_REPOSITORY, "latest", formats());
        return new Set(composer, alpine, multi, multiList, secret, formats);
    }

    // ---- the images ------------------------------------------------------------------------------------

    static final String ALPINE_ADD =
            "/bin/sh -c #(nop) ADD file:37a76ec18f9887751cd8473744917d08b7431fc4085097bb6a09d81b41775473 in / ";
    static final String CMD_SH = "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]";

    private static TestImage buildAlpine() {
        Layer base = new LayerBuilder()
                .dir("bin/")
                .file("bin/busybox", pseudoBinary(1, 3000), e -> e.setMode(0755))
                .symlink("bin/sh", "/bin/busybox")
                .symlink("bin/ls", "/bin/busybox")
                .dir("etc/")
                .file("etc/alpine-release", "3.19.1\n")
                .file("etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\n")
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n")
                .dir("lib/")
                .dir("root/", 0700)
                .dir("tmp/", 01777)
                .dir("usr/")
                .dir("usr/bin/")
                .dir("var/")
                .build(Compression.GZIP);
        return TestImage.docker()
                .created(Instant.parse("2024-01-27T00:30:48Z"))
                .layer(base, ALPINE_ADD)
                .emptyLayer(CMD_SH)
                .build();
    }

    private static TestImage buildComposer(Layer alpineBase) {
        Layer php = new LayerBuilder()
                .dir("usr/bin/")
                .file("usr/bin/php82", pseudoBinary(2, 4000), e -> e.setMode(0755))
                .symlink("usr/bin/php", "php82")
                .file("usr/bin/git", pseudoBinary(3, 2500), e -> e.setMode(0755))
                .dir("etc/php82/")
                .file("etc/php82/php.ini", "memory_limit = -1\ndate.timezone = UTC\n")
                .dir("lib/apk/db/")
                .file("lib/apk/db/installed", "P:php82\nV:8.2.15-r0\n\nP:git\nV:2.43.0-r0\n")
                .build(Compression.GZIP);
        Layer composer = new LayerBuilder()
                .dir("usr/bin/")
                .file("usr/bin/composer", "#!/usr/bin/env php\n<?php\n" + text(4, 1500), e -> e.setMode(0755))
                .build(Compression.GZIP);
        Layer app = new LayerBuilder()
                .owner(1000, 1000, "", "")
                .dir("app/")
                .file("app/composer.json", "{\n  \"require\": {\"monolog/monolog\": \"^3.5\"}\n}\n")
                .dir("tmp/composer/", 0775)
                .build(Compression.GZIP);
        return TestImage.docker()
                .created(Instant.parse("2024-01-27T00:30:48Z"))
                .containerConfig(
                        "Env",
                        List.of(
                                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                                "COMPOSER_HOME=/tmp/composer",
                                "COMPOSER_VERSION=2.7.1"))
                .containerConfig("Entrypoint", List.of("composer"))
                .containerConfig("Cmd", List.of("--help"))
                .containerConfig("WorkingDir", "/app")
                .layer(alpineBase, ALPINE_ADD)
                .emptyLayer(CMD_SH)
                .emptyLayer("/bin/sh -c #(nop)  ENV COMPOSER_HOME=/tmp/composer")
                .layer(php, "/bin/sh -c apk add --no-cache php82 php82-phar php82-mbstring php82-openssl git unzip")
                .emptyLayer("/bin/sh -c #(nop)  ENV COMPOSER_VERSION=2.7.1")
                .layer(
                        composer,
                        "/bin/sh -c #(nop) COPY file:8a7e3ba9a0c0f6bfe5d8da4b4cde2a3e0a9ef4be1dd3e4a0e0d5e2e2a4cd3f7b in /usr/bin/composer ")
                .emptyLayer("/bin/sh -c #(nop) WORKDIR /app")
                .layer(
                        app,
                        "RUN |1 COMPOSER_VERSION=2.7.1 /bin/sh -c mkdir -p /tmp/composer && chown -R 1000:1000 /app /tmp/composer # buildkit")
                .emptyLayer("/bin/sh -c #(nop)  ENTRYPOINT [\"composer\"]")
                .emptyLayer("/bin/sh -c #(nop)  CMD [\"--help\"]")
                .build();
    }

    private static TestIndex.Builder buildMultiArch(TestImage.Format format, TestIndex.Builder index) {
        TestImage amd64 = multiArchImage(format, Platform.LINUX_AMD64, "x86_64", 11);
        TestImage arm64 = multiArchImage(format, Platform.LINUX_ARM64_V8, "aarch64", 12);
        index.image(amd64).image(arm64);
        if (format == TestImage.Format.OCI) {
            index.attestationFor(amd64);
        }
        return index;
    }

    private static TestImage multiArchImage(TestImage.Format format, Platform platform, String uname, int seed) {
        Layer layer = new LayerBuilder()
                .dir("etc/")
                .file("etc/arch", uname + "\n")
                .dir("bin/")
                .file("bin/hello", pseudoBinary(seed, 1800), e -> e.setMode(0755))
                .build(Compression.GZIP);
        TestImage.Builder b = format == TestImage.Format.OCI ? TestImage.oci() : TestImage.docker();
        return b.platform(platform)
                .layer(layer, "ADD hello-" + platform.architecture() + ".tar / # buildkit")
                .emptyLayer("CMD [\"/bin/hello\"]")
                .build();
    }

    private static TestImage buildSecret() {
        Layer layer = new LayerBuilder()
                .dir("secret/", 0700)
                .file("secret/plans.txt", "the plans are in the other file\n", e -> e.setMode(0600))
                .build(Compression.GZIP);
        return TestImage.docker()
                .layer(layer, "/bin/sh -c #(nop) COPY dir:0a1b2c in /secret ")
                .build();
    }

    /** What {@link #FORMATS_REPOSITORY} holds, by name, so tests need not repeat the paths. */
    public static final class Formats {
        private Formats() {}

        /** In layer 0 (gzip, PAX); deleted by a whiteout {@code var/cache/.wh.old.txt} in layer 1 (zstd). */
        public static final String WHITED_OUT_FILE = "var/cache/old.txt";
        /** A directory with contents in layer 0; deleted by {@code usr/share/.wh.doc} in layer 2. */
        public static final String WHITED_OUT_DIR = "usr/share/doc/";
        /** Opaque in layer 2: its layer-0 files {@link #HIDDEN_BY_OPAQUE} vanish, {@link #ADDED_UNDER_OPAQUE} stays. */
        public static final String OPAQUE_DIR = "etc/app/conf.d/";

        public static final List<String> HIDDEN_BY_OPAQUE = List.of("etc/app/conf.d/a.conf", "etc/app/conf.d/b.conf");
        public static final String ADDED_UNDER_OPAQUE = "etc/app/conf.d/c.conf";
        /** Written in layer 0 and again, with other content, in layer 2. */
        public static final String REPLACED_FILE = "etc/app/config.yml";

        public static final String REPLACED_CONTENT = "replaced: true\n";

        public static final String LONG_NAME_PAX = "usr/share/" + "long-directory-name-".repeat(4) + "/"
                + "a-file-name-well-over-one-hundred-bytes-".repeat(2) + ".txt";
        public static final String LONG_NAME_GNU = "opt/" + "gnu-long-name-".repeat(9) + ".bin";
        public static final String LONG_LINK_TARGET = "/opt/" + "a-very-long-symlink-target-".repeat(5) + "/target";
        public static final String UNICODE_NAME = "usr/share/ünïcödé-文件-🐳.txt";
        public static final String NEWLINE_NAME = "usr/share/new\nline.txt";
        public static final String ESCAPE_NAME = "usr/share/esc-\u001b[31mred\u001b[0m.txt";
        public static final String SETUID_FILE = "usr/bin/su-like";
        public static final String SETGID_FILE = "usr/bin/wall-like";
        public static final String STICKY_DIR = "tmp/";
        public static final Instant EPOCH = Instant.EPOCH;
        public static final Instant Y1980 = Instant.parse("1980-01-01T00:00:00Z");
        public static final Instant Y2100 = Instant.parse("2100-01-01T00:00:00Z");
        /** A uid over the 7-octal-digit limit (2097151): PAX header in layer 0, base-256 in layer 1. */
        public static final long BIG_UID = 3_000_000L;
    }

    private static TestImage buildFormats() {
        Layer first = new LayerBuilder()
                .longNames(LayerBuilder.LongNames.PAX)
                .dir("etc/")
                .dir("etc/app/")
                .dir(Formats.OPAQUE_DIR)
                .file(Formats.REPLACED_FILE, "replaced: false\n")
                .file("etc/app/conf.d/a.conf", "a=1\n")
                .file("etc/app/conf.d/b.conf", "b=2\n")
                .dir(Formats.STICKY_DIR, 01777)
                .dir("usr/")
                .dir("usr/bin/")
                .file("usr/bin/tool", text(21, 700), 0755)
                .file(Formats.SETUID_FILE, "#!/bin/sh\necho root\n", 04755)
                .owner(0, 5, "root", "tty")
                .file(Formats.SETGID_FILE, "#!/bin/sh\necho wall\n", 02755)
                .owner(0, 0, "", "")
                .symlink("usr/bin/tool-link", "tool")
                .hardlink("usr/bin/tool-hardlink", "usr/bin/tool")
                .dir("usr/share/")
                .dir(Formats.WHITED_OUT_DIR)
                .file("usr/share/doc/README", text(22, 400))
                .dir("usr/share/" + "long-directory-name-".repeat(4) + "/")
                .file(Formats.LONG_NAME_PAX, "long name via PAX\n")
                .symlink("usr/share/long-link-pax", Formats.LONG_LINK_TARGET)
                .file(Formats.UNICODE_NAME, "unicode\n")
                .file(Formats.NEWLINE_NAME, "newline\n")
                .file(Formats.ESCAPE_NAME, "escape\n")
                .owner(1000, 1000, "alice", "staff")
                .file("usr/share/owned-by-alice", "uid and names\n")
                .owner(1001, 1001, "", "")
                .file("usr/share/owned-by-1001", "ids only\n")
                .owner(Formats.BIG_UID, Formats.BIG_UID, "", "")
                .file("usr/share/big-uid-pax", "big uid\n")
                .owner(0, 0, "", "")
                .mtime(Formats.EPOCH)
                .file("usr/share/mtime-1970", "epoch\n")
                .mtime(Formats.Y1980)
                .file("usr/share/mtime-1980", "dos epoch\n")
                .mtime(Formats.Y2100)
                .file("usr/share/mtime-2100", "future\n")
                .mtime(LayerBuilder.DEFAULT_MTIME)
                .dir("var/")
                .dir("var/cache/")
                .file(Formats.WHITED_OUT_FILE, "stale cache\n")
                .build(Compression.GZIP);
        Layer second = new LayerBuilder()
                .longNames(LayerBuilder.LongNames.GNU)
                .dir("dev/")
                .charDevice("dev/null", 1, 3)
                .charDevice("dev/tty", 5, 0)
                .blockDevice("dev/sda", 8, 0)
                .fifo("dev/initctl")
                .dir("opt/")
                .file(Formats.LONG_NAME_GNU, pseudoBinary(23, 600))
                .symlink("opt/long-link-gnu", Formats.LONG_LINK_TARGET)
                .hardlink("opt/hardlink-to-long-name", Formats.LONG_NAME_GNU)
                .owner(Formats.BIG_UID, Formats.BIG_UID, "", "")
                .file("opt/big-uid-gnu", "big uid base-256\n")
                .owner(0, 0, "", "")
                .whiteout(Formats.WHITED_OUT_FILE)
                .build(Compression.ZSTD);
        Layer third = new LayerBuilder()
                .opaque(Formats.OPAQUE_DIR)
                .file(Formats.ADDED_UNDER_OPAQUE, "c=3\n")
                .file(Formats.REPLACED_FILE, Formats.REPLACED_CONTENT)
                .whiteout(Formats.WHITED_OUT_DIR)
                .build(Compression.NONE);
        return TestImage.oci()
                .layer(first, "ADD rootfs.tar / # buildkit")
                .emptyLayer("ENV LANG=C.UTF-8")
                .layer(
                        second,
                        "RUN /bin/sh -c mknod /dev/null c 1 3 && mkfifo /dev/initctl && rm /var/cache/old.txt # buildkit")
                .layer(
                        third,
                        "RUN /bin/sh -c rm -rf /usr/share/doc /etc/app/conf.d/* && echo c=3 > /etc/app/conf.d/c.conf # buildkit")
                .emptyLayer("CMD [\"/usr/bin/tool\"]")
                .build();
    }

    // ---- deterministic filler ---------------------------------------------------------------------------

    /** Bytes that look like a binary (not compressible to nothing), the same for the same seed. */
    static byte[] pseudoBinary(long seed, int size) {
        byte[] out = new byte[size];
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (int i = 0; i < size; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out[i] = (byte) (i % 4 == 0 ? 0 : x);
        }
        return out;
    }

    private static final String[] WORDS = {
        "layer",
        "image",
        "registry",
        "digest",
        "manifest",
        "tar",
        "blob",
        "config",
        "history",
        "whiteout",
        "opaque",
        "platform",
        "index",
        "token",
        "scope",
        "pull"
    };

    /** Text of about {@code size} characters, the same for the same seed. */
    static String text(long seed, int size) {
        StringBuilder sb = new StringBuilder(size + 16);
        long x = seed * 0x9E3779B97F4A7C15L + 7;
        while (sb.length() < size) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            sb.append(WORDS[(int) ((x >>> 33) % WORDS.length)]).append((x & 7) == 0 ? ".\n" : " ");
        }
        return sb.toString();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
