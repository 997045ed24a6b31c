package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarVerboseLineTest {
    private static final Instant WHEN = Instant.parse("2024-01-02T03:04:05Z");

    private static LayerEntry entry(String path, EntryType type, int mode, long size) {
        return new LayerEntry(path, type, mode, 0, 0, "root", "root", size, WHEN, "", 0, 0);
    }

    @Test
    void formatsAFileLikeGnuTar() {
        String line = new TarVerboseLine(false).format(entry("etc/hosts", EntryType.FILE, 0644, 1234));

        assertThat(line).isEqualTo("-rw-r--r-- root/root      1234 2024-01-02 03:04 etc/hosts");
    }

    @Test
    void linksDevicesAndDirectoriesGetTheirGnuTarDecorations() {
        TarVerboseLine format = new TarVerboseLine(false);

        assertThat(format.format(entry("usr/bin", EntryType.DIRECTORY, 0755, 0)))
                .isEqualTo("drwxr-xr-x root/root         0 2024-01-02 03:04 usr/bin/");
        assertThat(format.format(entry("bin/sh", EntryType.SYMLINK, 0777, 0).withLinkTarget("bash")))
                .isEqualTo("lrwxrwxrwx root/root         0 2024-01-02 03:04 bin/sh -> bash");
        assertThat(format.format(entry("bin/sh2", EntryType.HARDLINK, 0755, 0).withLinkTarget("bin/sh")))
                .isEqualTo("hrwxr-xr-x root/root         0 2024-01-02 03:04 bin/sh2 link to bin/sh");
        assertThat(format.format(new LayerEntry(
                        "dev/null", EntryType.CHAR_DEVICE, 0666, 0, 0, "root", "root", 0, WHEN, "", 1, 3)))
                .isEqualTo("crw-rw-rw- root/root       1,3 2024-01-02 03:04 dev/null");
    }

    @Test
    void numericOwnersWhenNamesAreAbsentAndTheColumnWidensForGood() {
        TarVerboseLine format = new TarVerboseLine(false);
        LayerEntry numeric = new LayerEntry("data", EntryType.FILE, 0600, 1000, 100, "", "", 5, WHEN, "", 0, 0);
        LayerEntry wide = new LayerEntry(
                "big", EntryType.FILE, 0600, 0, 0, "a-long-user", "a-long-group", 1234567890L, WHEN, "", 0, 0);

        // "1000/100" and "5" fill 9 of the initial 18 columns.
        assertThat(format.format(numeric))
                .isEqualTo("-rw------- 1000/100" + " ".repeat(1 + 9) + "5 2024-01-02 03:04 data");
        // 34 columns needed: no padding, and the column stays 34 wide for later lines.
        assertThat(format.format(wide))
                .isEqualTo("-rw------- a-long-user/a-long-group 1234567890 2024-01-02 03:04 big");
        assertThat(format.format(numeric))
                .isEqualTo("-rw------- 1000/100" + " ".repeat(1 + 25) + "5 2024-01-02 03:04 data");
    }

    @Test
    void timesAreUtc() {
        LayerEntry old = new LayerEntry("x", EntryType.FILE, 0644, 0, 0, "root", "root", 0, Instant.EPOCH, "", 0, 0);

        assertThat(new TarVerboseLine(false).format(old)).contains(" 1970-01-01 00:00 x");
    }

    @Test
    void whiteoutsSayWhatTheyHide() {
        TarVerboseLine format = new TarVerboseLine(false);

        assertThat(format.format(entry("etc/.wh.passwd", EntryType.FILE, 0, 0)))
                .endsWith(" etc/.wh.passwd [whiteout: deletes etc/passwd]");
        assertThat(format.format(entry("var/cache/.wh..wh..opq", EntryType.FILE, 0, 0)))
                .endsWith(" var/cache/.wh..wh..opq [opaque: hides lower layers' contents of var/cache/]");
        assertThat(format.format(entry(".wh..wh..opq", EntryType.FILE, 0, 0)))
                .endsWith(" .wh..wh..opq [opaque: hides lower layers' contents of ./]");
    }

    @Test
    void hostileNamesAreEscaped() {
        String line = new TarVerboseLine(false)
                .format(entry("a\nb\u001b[31m", EntryType.SYMLINK, 0777, 0).withLinkTarget("t\r"));

        assertThat(line).endsWith(" a\\nb\\033[31m -> t\\r").doesNotContain("\n", "\r", "\u001b");
    }

    @Test
    void humanSizesRoundUpLikeLs() {
        assertThat(TarVerboseLine.humanSize(0)).isEqualTo("0");
        assertThat(TarVerboseLine.humanSize(1023)).isEqualTo("1023");
        assertThat(TarVerboseLine.humanSize(1024)).isEqualTo("1.0K");
        assertThat(TarVerboseLine.humanSize(1536)).isEqualTo("1.5K");
        assertThat(TarVerboseLine.humanSize(10 * 1024 - 1)).isEqualTo("10K");
        assertThat(TarVerboseLine.humanSize(123 * 1024 * 1024 + 1)).isEqualTo("124M");
        assertThat(TarVerboseLine.humanSize(1024L * 1024 * 1024 - 1)).isEqualTo("1.0G");
        assertThat(new TarVerboseLine(true).format(entry("f", EntryType.FILE, 0644, 5 * 1024 * 1024)))
                .isEqualTo("-rw-r--r-- root/root      5.0M 2024-01-02 03:04 f");
    }

    /** Cross-checks whole listings against the real GNU tar, where one is installed. */
    @Test
    void matchesGnuTarListingLineForLine(@TempDir Path dir) throws Exception {
        Path archive = dir.resolve("layer.tar");
        TarArchiveEntry numericOwner = new TarArchiveEntry("srv/data");
        numericOwner.setIds(1000, 100);
        numericOwner.setMode(0640);
        numericOwner.setSize(3);
        numericOwner.setLastModifiedTime(FileTime.from(WHEN));
        TarArchiveEntry wideOwner = new TarArchiveEntry("srv/wide");
        wideOwner.setUserName("a-rather-long-user-name");
        wideOwner.setGroupName("and-its-long-group");
        wideOwner.setMode(0644);
        wideOwner.setLastModifiedTime(FileTime.from(WHEN));
        Files.write(
                archive,
                new TarBuilder()
                        .dir("etc")
                        .file("etc/hosts", "127.0.0.1 localhost\n")
                        .file("usr/bin/su", new byte[10], 04755, WHEN)
                        .file("usr/bin/sgid", new byte[10], 02745, WHEN)
                        .dir("tmp")
                        .file("tmp/sticky-file", new byte[1], 01644, Instant.EPOCH)
                        .file("future", new byte[1], 0644, Instant.parse("2100-01-01T00:00:00Z"))
                        .file("tab\there\nnewline\u001bescape\\backslash", new byte[2], 0644, WHEN)
                        .symlink("usr/bin/sh", "/bin/bash")
                        .hardlink("usr/bin/su2", "usr/bin/su")
                        .device("dev/null", TarConstants.LF_CHR, 1, 3, 0666)
                        .device("dev/sda", TarConstants.LF_BLK, 8, 0, 0660)
                        .device("run/fifo", TarConstants.LF_FIFO, 0, 0, 0644)
                        .file("big", new byte[12345678], 0644, WHEN)
                        .entry(wideOwner, new byte[0])
                        .entry(numericOwner, new byte[3])
                        .file("after-widening", new byte[1], 0644, WHEN)
                        .tar());

        List<String> gnu = gnuTarListing(archive);
        List<String> ours = new ArrayList<>();
        TarVerboseLine format = new TarVerboseLine(false);
        LayerReader.read(Files.newInputStream(archive), null, e -> ours.add(format.format(e)));

        assertThat(ours).containsExactlyElementsOf(gnu);
    }

    private static List<String> gnuTarListing(Path archive) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("tar", "--quoting-style=escape", "-tvf", archive.toString());
        builder.environment().put("TZ", "UTC");
        builder.environment().put("LC_ALL", "C.UTF-8");
        builder.redirectErrorStream(true);
        Process tar;
        try {
            tar = builder.start();
        } catch (IOException notInstalled) {
            assumeTrue(false, "tar is not installed");
            throw notInstalled;
        }
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(tar.waitFor(30, TimeUnit.SECONDS) && tar.exitValue() == 0, "tar failed: " + output);
        String version = new String(
                new ProcessBuilder("tar", "--version").start().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(version.contains("GNU tar"), "tar is not GNU tar");
        return output.lines().toList();
    }
}
