package dev.regx.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.junit.jupiter.api.Test;

/**
 * The seed corpora of the fuzz targets ({@code *FuzzTest}), made from the fixtures the other tests use and a few
 * hostile cases, kept in {@code src/test/resources/fuzz/PACKAGE/CLASSInputs/METHOD/} (on the test class path as
 * Jazzer looks for them). Every {@code mvn verify} runs each target on its seeds; {@code src/bench/fuzz.sh} starts
 * fuzzing from them. Regenerate with {@code mvn test -Dtest=FuzzSeedCorpusTest -Dregx.updateFuzzSeeds=true}: a
 * seed is named by its content's SHA-1, as Jazzer names what it finds, so findings kept beside them stay.
 */
class FuzzSeedCorpusTest {
    private static final Path ROOT = Path.of("src/test/resources/fuzz");

    /** Each fuzz target's directory of seeds and the seeds made for it. */
    static Map<String, List<byte[]>> seeds() {
        Map<String, List<byte[]>> seeds = new LinkedHashMap<>();
        seeds.put(
                "dev/regx/registry/ImageReferenceFuzzTestInputs/parsesOrRefusesAsAUsageError",
                texts(
                        "alpine",
                        "alpine:3.19",
                        "smoshysmosh/composer:latest",
                        "127.0.0.1:5000/layers/formats:latest",
                        "localhost:5000/a/b/c@sha256:" + "0123456789abcdef".repeat(4),
                        "ghcr.io/org/team/img:1@sha512:" + "ab".repeat(64),
                        "[::1]:5000/multi/arch",
                        "index.docker.io/library/alpine",
                        "Registry.Example.COM/x__y--z.w:tag_1.0-rc"));
        seeds.put(
                "dev/regx/registry/auth/AuthChallengeFuzzTestInputs/readsAnyHeaderIntoTokenNamedChallenges",
                texts(
                        "Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\"",
                        "Bearer realm=\"http://127.0.0.1:5000/token\" , service = \"wm,registry\",scope=\"repository:a/b:pull\"",
                        "Basic realm=\"Registry Realm\"",
                        "Negotiate abc123==, Bearer realm=\"x\\\"y\"",
                        "Bearer realm=\"unterminated",
                        "Basic realm=a, Bearer realm=b,error=\"insufficient_scope\""));
        seeds.put(
                "dev/regx/registry/client/TokenAnswerFuzzTestInputs/anyTokenAnswerGivesTheManifestOrAMalformedAnswer",
                texts(
                        "{\"token\":\"eyJhbGciOiJSUzI1NiJ9.e30.c2ln\",\"expires_in\":300,\"issued_at\":\"2024-01-01T00:00:00Z\"}",
                        "{\"access_token\":\"tok-123\",\"expires_in\":9223372036854775807}",
                        "{\"token\":\"a\\nb\"}",
                        "{\"token\":\"\",\"access_token\":\"x~+/==\"}",
                        "{\"expires_in\":-1}",
                        "[]"));
        seeds.put("dev/regx/registry/manifest/ManifestFuzzTestInputs/resolvesOrFailsAsDocumented", manifests());
        seeds.put(
                "dev/regx/registry/auth/DockerConfigFuzzTestInputs/anyConfigGivesACredentialOrNoneAndNeverQuotesASecret",
                texts(
                        "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"YWxpY2U6YWxpY2UtcGFzcw==\"}}}",
                        "{\"auths\":{\"ghcr.io\":{\"username\":\"alice\",\"password\":\"alice-pass\"},"
                                + "\"127.0.0.1:5000\":{\"identitytoken\":\"alice-refresh-token\"}}}",
                        "{\"credHelpers\":{\"registry.test\":\"pass\"},\"credsStore\":\"desktop\"}",
                        "{\"credsStore\":\"../../bin/sh\",\"auths\":{\"docker.io\":{\"auth\":\"bm8tY29sb24=\"}}}",
                        "{\"auths\":{\"http://[::1]:5000\":{\"auth\":\"OnBhc3N3b3Jk\",\"email\":null}},\"HttpHeaders\":{}}",
                        "{\"auths\":[]}"));
        seeds.put("dev/regx/layer/LayerFuzzTestInputs/readsAnyBlobOrCallsItCorrupt", layers());
        seeds.put("dev/regx/layer/SafeTextFuzzTestInputs/escapedTextHoldsNoControlOrInvisibleCharacter", names());
        seeds.put("dev/regx/files/PathResolverFuzzTestInputs/resolutionNeverLeavesTheImage", trees());
        return seeds;
    }

    @Test
    void everyFuzzTargetHasItsSeeds() throws IOException {
        boolean update = Boolean.getBoolean("regx.updateFuzzSeeds");
        for (Map.Entry<String, List<byte[]>> target : seeds().entrySet()) {
            Path dir = ROOT.resolve(target.getKey());
            if (update) {
                Files.createDirectories(dir);
                for (byte[] seed : target.getValue()) {
                    Files.write(dir.resolve("seed-" + sha1(seed)), seed);
                }
            }
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.filter(f -> f.getFileName().toString().startsWith("seed-")))
                        .as("seeds of %s (regenerate: -Dregx.updateFuzzSeeds=true)", dir)
                        .hasSizeGreaterThanOrEqualTo(target.getValue().size());
            }
        }
    }

    private static List<byte[]> texts(String... texts) {
        return Stream.of(texts).map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Manifest, NUL, the manifest an index entry names, NUL, config: see ManifestFuzzTest. */
    private static List<byte[]> manifests() {
        TestImage composer = Fixtures.composer();
        TestImage formats = Fixtures.formats();
        TestIndex index = Fixtures.multiArch();
        TestIndex list = Fixtures.multiArchManifestList();
        TestImage amd64 = index.image(Platform.LINUX_AMD64);
        TestImage listAmd64 = list.image(Platform.LINUX_AMD64);
        return List.of(
                join(composer.manifest(), new byte[0], composer.config()),
                join(formats.manifest(), new byte[0], formats.config()),
                join(index.manifest(), amd64.manifest(), amd64.config()),
                join(list.manifest(), listAmd64.manifest(), listAmd64.config()),
                join(
                        "{\"schemaVersion\":1,\"name\":\"x\",\"fsLayers\":[]}".getBytes(StandardCharsets.UTF_8),
                        new byte[0],
                        new byte[0]));
    }

    private static byte[] join(byte[]... parts) {
        int size = parts.length - 1;
        for (byte[] p : parts) {
            size += p.length;
        }
        byte[] out = new byte[size];
        int at = 0;
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out[at++] = 0;
            }
            System.arraycopy(parts[i], 0, out, at, parts[i].length);
            at += parts[i].length;
        }
        return out;
    }

    /** The fixture layers small enough to mutate well: the formats image's gzip, zstd and plain tar. */
    private static List<byte[]> layers() {
        return Stream.concat(
                        Fixtures.formats().layers().stream().map(l -> l.layer().bytes()),
                        Stream.of(
                                hostileTree().build(Compression.GZIP).bytes(),
                                hostileTree().build(Compression.ZSTD).bytes()))
                .toList();
    }

    private static List<byte[]> names() {
        return texts(
                Fixtures.Formats.UNICODE_NAME,
                Fixtures.Formats.NEWLINE_NAME,
                Fixtures.Formats.ESCAPE_NAME,
                "usr/bin/\u202etxt.exe",
                "zero\u200bwidth\u2066isolate\u2069\u00ad",
                "back\\slash\u0085\u009b[2J");
    }

    /** Plain tars (the mutations then act on names and links directly): the formats layers and hostile links. */
    private static List<byte[]> trees() {
        return List.of(
                hostileTree().tar(),
                new LayerBuilder()
                        .dir("a/")
                        .symlink("a/loop", "loop")
                        .symlink("a/up", "../../../..")
                        .hardlink("b", "a/loop")
                        .tar(),
                Fixtures.formats().layers().get(2).layer().bytes());
    }

    /** Links out of the image every way a layer can try, and whiteouts. */
    private static LayerBuilder hostileTree() {
        return new LayerBuilder()
                .dir("etc/")
                .file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
                .symlink("escape", "/etc")
                .symlink("dotdot", "../../../../etc/passwd")
                .symlink("usr", "etc/../..")
                .hardlink("hard", "etc/passwd")
                .entry(hardLink("hard-up", "../../etc/shadow"), new byte[0])
                .file("../outside", "x")
                .whiteout("etc/passwd")
                .opaque("etc");
    }

    private static TarArchiveEntry hardLink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_LINK, true);
        e.setLinkName(target);
        return e;
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
