package dev.regx.layer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds tar archives in memory for tests, with commons-compress's writer. */
final class TarBuilder {
    static final Instant MTIME = Instant.parse("2024-01-02T03:04:05Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    /** PAX for long names and non-ASCII names, names written as UTF-8. */
    TarBuilder() {
        this(TarArchiveOutputStream.LONGFILE_POSIX, "UTF-8");
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /**
     * @param longFileMode e.g. {@link TarArchiveOutputStream#LONGFILE_GNU}
     * @param encoding charset for header names; ISO-8859-1 writes each char below U+0100 as that byte
     */
    TarBuilder(int longFileMode, String encoding) {
        tar = new TarArchiveOutputStream(bytes, encoding);
        tar.setLongFileMode(longFileMode);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TarBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644, MTIME);
    }

    TarBuilder file(String name, byte[] content, int mode, Instant mtime) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(content.length);
        entry.setMode(mode);
        entry.setLastModifiedTime(FileTime.from(mtime));
        entry.setUserName("root");
        entry.setGroupName("root");
        return add(entry, content);
    }

    TarBuilder dir(String name) {
        TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        entry.setMode(0755);
        entry.setLastModifiedTime(FileTime.from(MTIME));
        entry.setUserName("root");
        entry.setGroupName("root");
        return add(entry, new byte[0]);
    }

    TarBuilder symlink(String name, String target) {
        return link(name, target, TarConstants.LF_SYMLINK);
    }

    TarBuilder hardlink(String name, String target) {
        return link(name, target, TarConstants.LF_LINK);
    }

    TarBuilder device(String name, byte typeFlag, int major, int minor, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name, typeFlag);
        entry.setDevMajor(major);
        entry.setDevMinor(minor);
        entry.setMode(mode);
        entry.setLastModifiedTime(FileTime.from(MTIME));
        entry.setUserName("root");
        entry.setGroupName("disk");
        return add(entry, new byte[0]);
    }

    TarBuilder entry(TarArchiveEntry entry, byte[] content) {
        return add(entry, content);
    }

    private TarBuilder link(String name, String target, byte typeFlag) {
        TarArchiveEntry entry = new TarArchiveEntry(name, typeFlag);
        entry.setLinkName(target);
        entry.setMode(0777);
        entry.setLastModifiedTime(FileTime.from(MTIME));
        entry.setUserName("root");
        entry.setGroupName("root");
        return add(entry, new byte[0]);
    }

    private TarBuilder add(TarArchiveEntry entry, byte[] content) {
        try {
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    byte[] tar() {
        try {
            tar.finish();
            tar.close();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] zstd(byte[] data) {
        try {
            return com.github.luben.zstd.Zstd.compress(data, 3);
        } catch (UnsatisfiedLinkError e) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (OutputStream zs = new io.airlift.compress.zstd.ZstdOutputStream(out)) {
                zs.write(data);
            } catch (IOException io) {
                throw new UncheckedIOException(io);
            }
            return out.toByteArray();
        }
    }

    static byte[] compress(byte[] tar, LayerCompression compression) {
        return switch (compression) {
            case GZIP -> gzip(tar);
            case ZSTD -> zstd(tar);
            case NONE, UNKNOWN -> tar;
        };
    }
}
