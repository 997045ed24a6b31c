package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerReaderTest {
    private static final String LONG_NAME = "usr/share/" + "very-long-directory-name/".repeat(6) + "file.txt";
    private static final String LONG_TARGET = "../" + "some-far-away-target/".repeat(6) + "target";
    private static final Instant Y1970 = Instant.EPOCH;
    private static final Instant Y2100 = Instant.parse("2100-01-01T00:00:00Z");

    static List<LayerEntry> read(byte[] blob, String mediaType) throws IOException {
        List<LayerEntry> entries = new ArrayList<>();
        LayerReader.read(new ByteArrayInputStream(blob), mediaType, entries::add);
        return entries;
    }

    private static byte[] varietyTar() {
        return new TarBuilder()
                .dir("./etc")
                .file("./etc/hosts", "127.0.0.1 localhost\n")
                .file(LONG_NAME, "long".getBytes(StandardCharsets.UTF_8), 0644, TarBuilder.MTIME)
                .file("usr/bin/su", new byte[10], 04755, Y1970)
                .file("srv/日本語/ファイル", new byte[3], 0600, Y2100)
                .file("evil\nname\u001b[31m", new byte[1], 0644, TarBuilder.MTIME)
                .symlink("usr/bin/sh", "/bin/bash")
                .symlink("usr/lib/far", LONG_TARGET)
                .hardlink("usr/bin/su2", "./usr/bin/su")
                .device("dev/null", TarConstants.LF_CHR, 1, 3, 0666)
                .device("dev/sda", TarConstants.LF_BLK, 8, 0, 0660)
                .device("run/fifo", TarConstants.LF_FIFO, 0, 0, 0644)
                .tar();
    }

    @ParameterizedTest
    @EnumSource(
            value = LayerCompression.class,
            names = {"GZIP", "ZSTD", "NONE"})
    void readsEveryKindOfEntryWhateverTheCompression(LayerCompression compression) throws IOException {
        List<LayerEntry> entries = read(TarBuilder.compress(varietyTar(), compression), null);

        assertThat(entries)
                .extracting(LayerEntry::path)
                .containsExactly(
                        "etc",
                        "etc/hosts",
                        LONG_NAME,
                        "usr/bin/su",
                        "srv/日本語/ファイル",
                        "evil\nname\u001b[31m",
                        "usr/bin/sh",
                        "usr/lib/far",
                        "usr/bin/su2",
                        "dev/null",
                        "dev/sda",
                        "run/fifo");
        assertThat(entries)
                .extracting(LayerEntry::type)
                .containsExactly(
                        EntryType.DIRECTORY,
                        EntryType.FILE,
                        EntryType.FILE,
                        EntryType.FILE,
                        EntryType.FILE,
                        EntryType.FILE,
                        EntryType.SYMLINK,
                        EntryType.SYMLINK,
                        EntryType.HARDLINK,
                        EntryType.CHAR_DEVICE,
                        EntryType.BLOCK_DEVICE,
                        EntryType.FIFO);

        LayerEntry hosts = entries.get(1);
        assertThat(hosts.size()).isEqualTo(20);
        assertThat(hosts.mode()).isEqualTo(0644);
        assertThat(hosts.uname()).isEqualTo("root");
        assertThat(hosts.mtime()).isEqualTo(TarBuilder.MTIME);

        LayerEntry su = entries.get(3);
        assertThat(su.mode()).isEqualTo(04755);
        assertThat(su.mtime()).isEqualTo(Y1970);
        assertThat(entries.get(4).mtime()).isEqualTo(Y2100);

        assertThat(entries.get(6).linkTarget()).isEqualTo("/bin/bash");
        assertThat(entries.get(7).linkTarget()).as("PAX long link name").isEqualTo(LONG_TARGET);
        assertThat(entries.get(8).linkTarget())
                .as("hard link targets are normalised")
                .isEqualTo("usr/bin/su");
        assertThat(entries.get(9))
                .extracting(LayerEntry::devMajor, LayerEntry::devMinor)
                .containsExactly(1, 3);
        assertThat(entries.get(10))
                .extracting(LayerEntry::devMajor, LayerEntry::devMinor)
                .containsExactly(8, 0);
    }

    @Test
    void gnuLongNamesAndLongLinkNamesAreRead() throws IOException {
        byte[] tar = new TarBuilder(TarArchiveOutputStream.LONGFILE_GNU, "UTF-8")
                .file(LONG_NAME, "x")
                .symlink("link", LONG_TARGET)
                .hardlink("hard/" + LONG_NAME, LONG_NAME)
                .tar();

        List<LayerEntry> entries = read(tar, "application/vnd.oci.image.layer.v1.tar");

        assertThat(entries).extracting(LayerEntry::path).containsExactly(LONG_NAME, "link", "hard/" + LONG_NAME);
        assertThat(entries.get(1).linkTarget()).isEqualTo(LONG_TARGET);
        assertThat(entries.get(2).linkTarget()).isEqualTo(LONG_NAME);
    }

    @Test
    void longNamesWellBelowTheMetaRecordLimitAreRead() throws IOException {
        String name = "d/".repeat(50_000) + "file";

        assertThat(read(withGnuLongName(name), null))
                .extracting(LayerEntry::path)
                .containsExactly("etc/hosts", name);
        assertThat(read(withPaxPath(name), null)).extracting(LayerEntry::path).containsExactly("etc/hosts", name);
    }

    @Test
    void gnuLongNameRecordsOverOneMebibyteAreRefused() {
        byte[] tar = withGnuLongName("a".repeat(1 << 20));

        assertThatThrownBy(() -> read(TarBuilder.gzip(tar), null))
                .isInstanceOf(LayerReadException.class)
                .hasMessage("layer refused after 1 entry: a GNU long-name record claims 1048577 bytes,"
                        + " over the 1 MiB a tar reader accepts (a hostile or broken layer)");
    }

    @Test
    void paxRecordsOverOneMebibyteAreRefused() {
        byte[] tar = withPaxPath("a".repeat(2 << 20));

        assertThatThrownBy(() -> read(tar, null))
                .isInstanceOf(LayerReadException.class)
                .hasMessageStartingWith("layer refused after 1 entry: a PAX header record claims 2097166 bytes");
    }

    /*
     * The long-name layers are written record by record: commons-compress's writer tries shorter and shorter
     * encodings of a long name, which takes minutes for a name of a mebibyte.
     */

    /** A small file, then a file named {@code name} through a GNU long-name record. */
    private static byte[] withGnuLongName(String name) {
        return withMetaRecord(TarConstants.LF_GNUTYPE_LONGNAME, (name + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /** A small file, then a file named {@code name} through a PAX {@code path} record. */
    private static byte[] withPaxPath(String name) {
        String record = " path=" + name + "\n";
        int length = record.length() + 1;
        length = record.length() + Integer.toString(length).length();
        length = record.length() + Integer.toString(length).length(); // the length counts its own digits
        return withMetaRecord(
                TarConstants.LF_PAX_EXTENDED_HEADER_LC, (length + record).getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] withMetaRecord(byte typeFlag, byte[] body) {
        TarArchiveEntry record = new TarArchiveEntry("././@LongLink", typeFlag);
        record.setSize(body.length);
        return new TarBuilder()
                .file("etc/hosts", "x")
                .entry(record, body)
                .file("short", "x")
                .tar();
    }

    @Test
    void anOversizedLongNameClaimIsRefusedBeforeItsBodyIsRead() throws IOException {
        // A gzip of zeros can make a 300 KB layer claim a 300 MB name; an endless stream of zeros stands in for it.
        TarArchiveEntry claim = new TarArchiveEntry("././@LongLink", TarConstants.LF_GNUTYPE_LONGNAME);
        claim.setSize(300_000_000L);
        byte[] header = new byte[512];
        claim.writeEntryHeader(header);
        long[] zerosServed = {0};
        InputStream endlessZeros = new InputStream() {
            @Override
            public int read() {
                zerosServed[0]++;
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                Arrays.fill(b, off, off + len, (byte) 0);
                zerosServed[0] += len;
                return len;
            }
        };
        InputStream layer = new SequenceInputStream(new ByteArrayInputStream(header), endlessZeros);

        assertThatThrownBy(() -> LayerReader.read(layer, null, entry -> {}))
                .isInstanceOf(LayerReadException.class)
                .hasMessageContaining("a GNU long-name record claims 300000000 bytes");
        assertThat(zerosServed[0]).as("bytes read past the header").isLessThan(64 * 1024);
    }

    @Test
    void nonUtf8NamesSurviveByteForByte() throws IOException {
        // Latin-1 encoding writes each char as one byte: "caf\xe9" is not valid UTF-8.
        String latin1Name = "caf\u00e9";
        String longLatin1Name = "dir-" + "x".repeat(120) + "/caf\u00e9";
        byte[] tar = new TarBuilder(TarArchiveOutputStream.LONGFILE_GNU, "ISO-8859-1")
                .file(latin1Name, "x")
                .file(longLatin1Name, "y")
                .file("caf\u00c3\u00a9-valid-utf8", "z") // the bytes of "café" in UTF-8
                .tar();

        List<LayerEntry> entries = read(tar, null);

        assertThat(entries.get(0).pathBytes()).containsExactly('c', 'a', 'f', 0xe9);
        assertThat(entries.get(0).path()).isEqualTo("caf\udce9");
        assertThat(SafeText.escape(entries.get(0).path())).isEqualTo("caf\\351");
        assertThat(entries.get(1).pathBytes()).isEqualTo(longLatin1Name.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(entries.get(2).path()).isEqualTo("café-valid-utf8");
    }

    @Test
    void paxUnicodeNamesAreNotDecodedTwice() throws IOException {
        byte[] tar = new TarBuilder()
                .file("caf\u00e9", "x")
                .file("na\u00efve/\u00e9t\u00e9", "y")
                .tar();

        assertThat(read(tar, null)).extracting(LayerEntry::path).containsExactly("café", "naïve/été");
    }

    @Test
    void mediaTypeSayingGzipDoesNotStopAPlainTarFromBeingRead() throws IOException {
        List<LayerEntry> entries = read(varietyTar(), "application/vnd.docker.image.rootfs.diff.tar.gzip");

        assertThat(entries).hasSize(12);
    }

    @Test
    void mediaTypeSayingPlainTarDoesNotStopZstdFromBeingRead() throws IOException {
        List<LayerEntry> entries = read(TarBuilder.zstd(varietyTar()), "application/vnd.oci.image.layer.v1.tar");

        assertThat(entries).hasSize(12);
    }

    @Test
    void concatenatedGzipMembersAreReadToTheEnd() throws IOException {
        byte[] tar = varietyTar();
        int cut = 512 * 7;
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        blob.writeBytes(TarBuilder.gzip(Arrays.copyOfRange(tar, 0, cut)));
        blob.writeBytes(TarBuilder.gzip(Arrays.copyOfRange(tar, cut, tar.length)));

        assertThat(read(blob.toByteArray(), null)).hasSize(12);
    }

    @Test
    void truncatedGzipFailsAfterDeliveringTheEntriesBeforeTheCut() {
        byte[] content = new byte[256 * 1024];
        new Random(1).nextBytes(content); // incompressible, so the cut lands inside the third file
        byte[] tar = new TarBuilder()
                .file("one", content, 0644, TarBuilder.MTIME)
                .file("two", content, 0644, TarBuilder.MTIME)
                .file("three", content, 0644, TarBuilder.MTIME)
                .file("four", content, 0644, TarBuilder.MTIME)
                .tar();
        byte[] gz = TarBuilder.gzip(tar);
        byte[] truncated = Arrays.copyOf(gz, gz.length * 5 / 8);
        List<LayerEntry> delivered = new ArrayList<>();

        assertThatThrownBy(() -> LayerReader.read(new ByteArrayInputStream(truncated), null, delivered::add))
                .isInstanceOf(LayerReadException.class)
                .hasMessageStartingWith("layer stream is corrupt or truncated after 3 entries: ")
                .satisfies(e ->
                        assertThat(((LayerReadException) e).entriesDelivered()).isEqualTo(3))
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
        assertThat(delivered).extracting(LayerEntry::path).containsExactly("one", "two", "three");
    }

    @ParameterizedTest
    @EnumSource(
            value = LayerCompression.class,
            names = {"ZSTD", "NONE"})
    void truncatedStreamsOfOtherCompressionsFailToo(LayerCompression compression) {
        byte[] blob = TarBuilder.compress(varietyTar(), compression);
        // For the plain tar, cut in the middle of a header block, which commons-compress alone would take as EOF.
        byte[] truncated = Arrays.copyOf(blob, compression == LayerCompression.NONE ? 512 * 4 + 100 : blob.length / 2);

        assertThatThrownBy(() -> read(truncated, null))
                .isInstanceOf(LayerReadException.class)
                .hasMessageStartingWith("layer stream is corrupt or truncated after ");
    }

    @Test
    void randomGarbageIsNotATar() {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        garbage[0] = 0x42; // not a gzip or zstd magic by chance

        assertThatThrownBy(() -> read(garbage, "application/vnd.oci.image.layer.v1.tar+gzip"))
                .isInstanceOf(LayerReadException.class)
                .hasMessageStartingWith("not a tar archive (looks like binary data starting 42 ")
                .hasMessageContaining("its media type says application/vnd.oci.image.layer.v1.tar+gzip");
    }

    @Test
    void jsonInsideGzipIsNotATar() {
        byte[] blob = TarBuilder.gzip("{\"schemaVersion\": 2}".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> read(blob, null))
                .isInstanceOf(LayerReadException.class)
                .hasMessage("not a tar archive (looks like gzip-compressed JSON)");
    }

    @Test
    void emptyArchivesHaveNoEntries() throws IOException {
        assertThat(read(TarBuilder.gzip(new byte[1024]), null)).isEmpty();
        assertThat(read(new byte[0], null)).isEmpty();
    }

    @Test
    void failuresOfTheBlobStreamItselfStayIoExceptions() {
        byte[] gz = TarBuilder.gzip(varietyTar());
        InputStream failing = new InputStream() {
            private final InputStream data = new ByteArrayInputStream(gz, 0, gz.length / 2);

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = data.read(b, off, len);
                if (n < 0) {
                    throw new SocketException("Connection reset");
                }
                return n;
            }
        };

        assertThatThrownBy(() -> LayerReader.read(failing, null, e -> {}))
                .isExactlyInstanceOf(SocketException.class)
                .hasMessage("Connection reset");
    }

    @Test
    void callbackExceptionsPropagateUnchanged() {
        IllegalStateException stop = new IllegalStateException("stop");

        assertThatThrownBy(() -> LayerReader.read(new ByteArrayInputStream(varietyTar()), null, e -> {
                    throw stop;
                }))
                .isSameAs(stop);
    }

    @Test
    void pureJavaZstdFallbackReadsTheSameEntriesAsTheNativeDecoder() throws IOException {
        byte[] blob = TarBuilder.zstd(varietyTar());
        List<LayerEntry> viaDefault = read(blob, null);
        List<LayerEntry> viaPureJava;
        System.setProperty(ZstdDecoder.FORCE_PURE_JAVA_PROPERTY, "true");
        try {
            assertThat(ZstdDecoder.usesNative()).isFalse();
            viaPureJava = read(blob, null);
        } finally {
            System.clearProperty(ZstdDecoder.FORCE_PURE_JAVA_PROPERTY);
        }

        assertThat(viaPureJava).hasSize(12).isEqualTo(viaDefault);
    }

    @Test
    void pureJavaAndNativeZstdDecompressToIdenticalBytes() throws IOException {
        byte[] data = new byte[3 * 1024 * 1024];
        new Random(3).nextBytes(data);
        Arrays.fill(data, 1024 * 1024, 2 * 1024 * 1024, (byte) 'a');
        byte[] compressed = TarBuilder.zstd(data);
        byte[] viaDefault;
        try (InputStream in = ZstdDecoder.open(new ByteArrayInputStream(compressed))) {
            viaDefault = in.readAllBytes();
        }
        byte[] viaPureJava;
        System.setProperty(ZstdDecoder.FORCE_PURE_JAVA_PROPERTY, "true");
        try (InputStream in = ZstdDecoder.open(new ByteArrayInputStream(compressed))) {
            viaPureJava = in.readAllBytes();
        } finally {
            System.clearProperty(ZstdDecoder.FORCE_PURE_JAVA_PROPERTY);
        }

        assertThat(viaDefault).isEqualTo(data);
        assertThat(viaPureJava).isEqualTo(data);
    }

    @Test
    void whiteoutsAreReadAsMarkers() throws IOException {
        byte[] tar = new TarBuilder()
                .file("etc/.wh.passwd", "")
                .file("var/cache/.wh..wh..opq", "")
                .tar();

        List<LayerEntry> entries = read(tar, null);

        assertThat(entries.get(0).whiteout()).isEqualTo(Whiteout.DELETION);
        assertThat(entries.get(0).whiteoutTarget()).contains("etc/passwd");
        assertThat(entries.get(1).whiteout()).isEqualTo(Whiteout.OPAQUE);
        assertThat(entries.get(1).whiteoutTarget()).contains("var/cache");
    }

    @Test
    void anEntryOfAnUnknownTypeCarryingDataHandsNoContentsAndTheNextEntryFollows() throws IOException {
        // Found by LayerFuzzTest: such an entry's stored bytes came out as contents, beyond its size of 0.
        TarArchiveEntry odd = new TarArchiveEntry("odd", (byte) 'Q');
        odd.setSize(15);
        byte[] tar = new TarBuilder()
                .entry(odd, "fifteen bytes!!".getBytes(StandardCharsets.UTF_8))
                .file("after", "x")
                .tar();
        List<String> seen = new ArrayList<>();

        LayerReader.readWithContents(new ByteArrayInputStream(tar), null, (entry, content) -> {
            seen.add(entry.path() + " " + entry.type() + " " + entry.size() + " " + content.readAllBytes().length);
            return true;
        });

        assertThat(seen).containsExactly("odd OTHER 0 0", "after FILE 1 1");
    }
}
