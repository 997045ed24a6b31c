package dev.regx.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;

/** The standard fixtures, pushed into the shared token-auth registry and read back with a plain client. */
@RequiresRegistry
class FixturesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SharedRegistry shared = SharedRegistry.get();
    private final Fixtures.Set set = shared.fixtures();
    private final RawRegistryClient anonymous = RawRegistryClient.anonymous(shared.registry());

    @Test
    void everyImageManifestIsServedWithItsMediaTypeAndDigest() {
        for (PushedImage image : set.images()) {
            RawRegistryClient client = image.repository().equals(Fixtures.SECRET_REPOSITORY)
                    ? RawRegistryClient.as(shared.registry(), Fixtures.ALICE, Fixtures.ALICE_PASSWORD)
                    : anonymous;
            HttpResponse<byte[]> r = client.getManifest(image.repository(), image.tag(), image.mediaType());
            assertThat(r.statusCode()).as(image.reference()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).contains(image.mediaType());
            assertThat(r.headers().firstValue("Docker-Content-Digest")).contains(image.digest());
            assertThat(r.body()).isEqualTo(image.image().manifest());
        }
    }

    @Test
    void ociIndexIsA404WithoutItsMediaTypeInAccept() {
        HttpResponse<byte[]> without = anonymous.getManifest(
                Fixtures.MULTI_ARCH_REPOSITORY,
                "latest",
                MediaTypes.DOCKER_MANIFEST + ", " + MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(without.statusCode()).isEqualTo(404);
        assertThat(new String(without.body())).contains("MANIFEST_UNKNOWN");
        HttpResponse<byte[]> with =
                anonymous.getManifest(Fixtures.MULTI_ARCH_REPOSITORY, "latest", MediaTypes.OCI_INDEX);
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.headers().firstValue("Docker-Content-Digest"))
                .contains(set.multiArch().digest());
    }

    @Test
    void multiArchIndexListsBothPlatformsAndAnAttestation() throws Exception {
        JsonNode index = JSON.readTree(anonymous
                .getManifest(Fixtures.MULTI_ARCH_REPOSITORY, "latest", MediaTypes.OCI_INDEX)
                .body());
        List<String> platforms = new ArrayList<>();
        index.get("manifests")
                .forEach(m -> platforms.add(m.get("platform").get("os").asText() + "/"
                        + m.get("platform").get("architecture").asText()
                        + (m.get("platform").has("variant")
                                ? "/" + m.get("platform").get("variant").asText()
                                : "")));
        assertThat(platforms).containsExactly("linux/amd64", "linux/arm64/v8", "unknown/unknown");
        JsonNode attestation = index.get("manifests").get(2);
        assertThat(attestation
                        .get("annotations")
                        .get("vnd.docker.reference.type")
                        .asText())
                .isEqualTo("attestation-manifest");
        assertThat(attestation
                        .get("annotations")
                        .get("vnd.docker.reference.digest")
                        .asText())
                .isEqualTo(set.multiArch().child(Platform.LINUX_AMD64).digest());
        assertThat(set.multiArch().child(Platform.LINUX_AMD64).image().layer(0).digest())
                .isNotEqualTo(set.multiArch()
                        .child(Platform.LINUX_ARM64_V8)
                        .image()
                        .layer(0)
                        .digest());
        for (PushedImage child : set.multiArch().children()) {
            assertThat(anonymous
                            .getManifest(child.repository(), child.digest(), MediaTypes.OCI_MANIFEST)
                            .statusCode())
                    .as(child.digestReference())
                    .isEqualTo(200);
        }
        HttpResponse<byte[]> list =
                anonymous.getManifest(Fixtures.MULTI_ARCH_REPOSITORY, "manifest-list", MediaTypes.DOCKER_MANIFEST_LIST);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).isEqualTo(Fixtures.multiArchManifestList().manifest());
    }

    @Test
    void blobsAreServedByDigestAndConfigHistoryMatchesTheFacts() throws Exception {
        PushedImage composer = set.composer();
        for (TestImage.ImageLayer layer : composer.image().layers()) {
            HttpResponse<byte[]> r = anonymous.getBlob(composer.repository(), layer.digest());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).hasSize((int) layer.size());
            assertThat(Digests.sha256(r.body())).isEqualTo(layer.digest());
        }
        JsonNode config = JSON.readTree(anonymous
                .getBlob(composer.repository(), composer.image().configDigest())
                .body());
        List<String> nonEmpty = new ArrayList<>();
        int empty = 0;
        for (JsonNode h : config.get("history")) {
            if (h.path("empty_layer").asBoolean()) {
                empty++;
            } else {
                nonEmpty.add(h.get("created_by").asText());
            }
        }
        assertThat(nonEmpty)
                .containsExactlyElementsOf(composer.image().layers().stream()
                        .map(TestImage.ImageLayer::createdBy)
                        .toList());
        assertThat(composer.image().layers()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(empty).isGreaterThanOrEqualTo(3);
        assertThat(config.get("rootfs").get("diff_ids").get(0).asText())
                .isEqualTo(composer.image().layer(0).diffId());
        assertThat(composer.image().layer(0).digest())
                .as("composer is FROM alpine")
                .isEqualTo(set.alpine().image().layer(0).digest());
    }

    @Test
    void privateRepositoryIsRefusedAnonymouslyAndServedToAlice() {
        PushedImage secret = set.secret();
        assertThat(anonymous
                        .getManifest(secret.repository(), "latest", secret.mediaType())
                        .statusCode())
                .isEqualTo(401);
        RawRegistryClient alice = RawRegistryClient.as(shared.registry(), Fixtures.ALICE, Fixtures.ALICE_PASSWORD);
        assertThat(alice.getManifest(secret.repository(), "latest", secret.mediaType())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void formatsLayersReadBackWithEveryExoticEntryIntact() throws Exception {
        PushedImage formats = set.formats();
        List<TestImage.ImageLayer> layers = formats.image().layers();
        assertThat(layers)
                .extracting(TestImage.ImageLayer::mediaType)
                .containsExactly(MediaTypes.OCI_LAYER_GZIP, MediaTypes.OCI_LAYER_ZSTD, MediaTypes.OCI_LAYER_TAR);
        List<Map<String, TarArchiveEntry>> read = new ArrayList<>();
        for (TestImage.ImageLayer layer : layers) {
            byte[] blob =
                    anonymous.getBlob(formats.repository(), layer.digest()).body();
            assertThat(Digests.sha256(blob)).isEqualTo(layer.digest());
            read.add(readTar(layer.layer().compression(), blob));
        }
        Map<String, TarArchiveEntry> first = read.get(0);
        Map<String, TarArchiveEntry> second = read.get(1);
        Map<String, TarArchiveEntry> third = read.get(2);

        assertThat(first)
                .containsKeys(
                        Fixtures.Formats.LONG_NAME_PAX,
                        Fixtures.Formats.UNICODE_NAME,
                        Fixtures.Formats.NEWLINE_NAME,
                        Fixtures.Formats.ESCAPE_NAME,
                        Fixtures.Formats.WHITED_OUT_FILE);
        assertThat(Fixtures.Formats.LONG_NAME_PAX.length()).isGreaterThan(100);
        assertThat(first.get("usr/share/long-link-pax").getLinkName()).isEqualTo(Fixtures.Formats.LONG_LINK_TARGET);
        assertThat(first.get(Fixtures.Formats.SETUID_FILE).getMode()).isEqualTo(04755);
        assertThat(first.get(Fixtures.Formats.SETGID_FILE).getMode()).isEqualTo(02755);
        assertThat(first.get(Fixtures.Formats.SETGID_FILE).getGroupName()).isEqualTo("tty");
        assertThat(first.get(Fixtures.Formats.STICKY_DIR).getMode()).isEqualTo(01777);
        assertThat(first.get("usr/bin/tool-hardlink").isLink()).isTrue();
        assertThat(first.get("usr/share/owned-by-alice").getUserName()).isEqualTo("alice");
        assertThat(first.get("usr/share/owned-by-1001").getUserName()).isEmpty();
        assertThat(first.get("usr/share/owned-by-1001").getLongUserId()).isEqualTo(1001);
        assertThat(first.get("usr/share/big-uid-pax").getLongUserId()).isEqualTo(Fixtures.Formats.BIG_UID);
        assertThat(first.get("usr/share/mtime-1970").getLastModifiedTime().toInstant())
                .isEqualTo(Fixtures.Formats.EPOCH);
        assertThat(first.get("usr/share/mtime-2100").getLastModifiedTime().toInstant())
                .isEqualTo(Fixtures.Formats.Y2100);

        assertThat(second.get("dev/null").isCharacterDevice()).isTrue();
        assertThat(second.get("dev/null").getDevMajor()).isEqualTo(1);
        assertThat(second.get("dev/null").getDevMinor()).isEqualTo(3);
        assertThat(second.get("dev/sda").isBlockDevice()).isTrue();
        assertThat(second.get("dev/initctl").isFIFO()).isTrue();
        assertThat(second).containsKey(Fixtures.Formats.LONG_NAME_GNU);
        assertThat(second.get("opt/long-link-gnu").getLinkName()).isEqualTo(Fixtures.Formats.LONG_LINK_TARGET);
        assertThat(second.get("opt/big-uid-gnu").getLongUserId()).isEqualTo(Fixtures.Formats.BIG_UID);
        assertThat(second).containsKey("var/cache/.wh.old.txt");

        assertThat(third)
                .containsKeys(
                        "etc/app/conf.d/.wh..wh..opq",
                        Fixtures.Formats.ADDED_UNDER_OPAQUE,
                        Fixtures.Formats.REPLACED_FILE,
                        "usr/share/.wh.doc");
        assertThat(layers.get(2).layer().entry(Fixtures.Formats.REPLACED_FILE).content())
                .isEqualTo(Fixtures.utf8(Fixtures.Formats.REPLACED_CONTENT));
        // The recorded facts agree with what a tar reader sees.
        assertThat(layers.get(0).layer().entries())
                .extracting(LayerEntry::name)
                .containsExactlyElementsOf(first.keySet());
    }

    private static Map<String, TarArchiveEntry> readTar(Compression compression, byte[] blob) throws Exception {
        InputStream in = new ByteArrayInputStream(blob);
        in = switch (compression) {
            case GZIP -> new GZIPInputStream(in);
            case ZSTD -> new ZstdInputStream(in);
            case NONE -> in;
        };
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in, "UTF-8")) {
            for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
                entries.put(e.getName(), e);
            }
        }
        return entries;
    }

    @Test
    void buildingTheSameFixtureTwiceGivesTheSameDigests() {
        Layer a = new LayerBuilder()
                .dir("x/")
                .file("x/y", "z")
                .symlink("x/l", "y")
                .build(Compression.GZIP);
        Layer b = new LayerBuilder()
                .dir("x/")
                .file("x/y", "z")
                .symlink("x/l", "y")
                .build(Compression.GZIP);
        assertThat(a.digest()).isEqualTo(b.digest());
        Layer z1 = new LayerBuilder().file("f", "content").build(Compression.ZSTD);
        Layer z2 = new LayerBuilder().file("f", "content").build(Compression.ZSTD);
        assertThat(z1.digest()).isEqualTo(z2.digest());
        assertThat(z1.diffId()).isEqualTo(z2.diffId());
    }
}
