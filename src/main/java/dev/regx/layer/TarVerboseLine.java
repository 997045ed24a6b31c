package dev.regx.layer;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Formats entries as GNU {@code tar tv} lines, e.g.
 * {@code -rw-r--r-- root/root      1234 2024-01-02 03:04 etc/hosts}, with {@code -> target} after symlinks,
 * {@code link to target} after hard links, {@code MAJOR,MINOR} in place of the size of devices, numeric
 * {@code uid/gid} where the tar has no names, and a trailing {@code /} on directories.
 *
 * <p>Stateful like GNU tar: the owner-and-size column starts 18 wide and widens for good when an entry needs more,
 * so columns line up without buffering the listing. Use one instance per listing.
 *
 * <p>Times are UTC, not the local zone GNU tar uses: an image's files have no local time, and a listing should
 * read the same on every machine. All names go through {@link SafeText}.
 *
 * <p>Whiteout markers keep their real name and get a bracketed note saying what they do:
 * {@code usr/.wh.foo [whiteout: deletes usr/foo]} and
 * {@code usr/.wh..wh..opq [opaque: hides lower layers' contents of usr/]}.
 */
public final class TarVerboseLine {
    private static final DateTimeFormatter MINUTES =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final boolean humanSizes;
    private int ownerAndSizeWidth = 18;
    private int dateWidth = 16;

    /** @param humanSizes print sizes as {@code 1.5K}, {@code 23M} instead of byte counts */
    public TarVerboseLine(boolean humanSizes) {
        this.humanSizes = humanSizes;
    }

    public String format(LayerEntry entry) {
        String user = entry.uname().isEmpty() ? Long.toString(entry.uid()) : SafeText.escape(entry.uname());
        String group = entry.gname().isEmpty() ? Long.toString(entry.gid()) : SafeText.escape(entry.gname());
        String size = switch (entry.type()) {
            case CHAR_DEVICE, BLOCK_DEVICE -> entry.devMajor() + "," + entry.devMinor();
            default -> humanSizes ? humanSize(entry.size()) : Long.toString(entry.size());
        };
        int pad = user.length() + 1 + group.length() + size.length();
        ownerAndSizeWidth = Math.max(ownerAndSizeWidth, pad);
        String date = date(entry.mtime());
        dateWidth = Math.max(dateWidth, date.length());

        StringBuilder line = new StringBuilder(80);
        line.append(ModeString.of(entry))
                .append(' ')
                .append(user)
                .append('/')
                .append(group)
                .append(' ')
                .append(" ".repeat(ownerAndSizeWidth - pad))
                .append(size)
                .append(' ')
                .append(date)
                .append(" ".repeat(dateWidth - date.length()))
                .append(' ')
                .append(displayName(entry));
        switch (entry.type()) {
            case SYMLINK -> line.append(" -> ").append(SafeText.escape(entry.linkTarget()));
            case HARDLINK -> line.append(" link to ").append(SafeText.escape(entry.linkTarget()));
            default -> {}
        }
        switch (entry.whiteout()) {
            case DELETION ->
                line.append(" [whiteout: deletes ")
                        .append(SafeText.escape(entry.whiteoutTarget().orElseThrow()))
                        .append(']');
            case OPAQUE ->
                line.append(" [opaque: hides lower layers' contents of ")
                        .append(directoryName(entry.whiteoutTarget().orElseThrow()))
                        .append(']');
            case NONE -> {}
        }
        return line.toString();
    }

    /** The entry's path as tar shows it: directories end in {@code /}, the root directory is {@code ./}. */
    public static String displayName(LayerEntry entry) {
        return entry.isDirectory() ? directoryName(entry.path()) : SafeText.escape(entry.path());
    }

    private static String directoryName(String path) {
        return path.isEmpty() ? "./" : SafeText.escape(path) + "/";
    }

    private static String date(Instant mtime) {
        try {
            return MINUTES.format(mtime);
        } catch (java.time.DateTimeException e) {
            return Long.toString(mtime.getEpochSecond()); // GNU tar also falls back to seconds for absurd times
        }
    }

    /** Like {@code ls -h}: powers of 1024, one decimal below 10, rounded up so a size is never understated. */
    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return Long.toString(bytes);
        }
        String units = "KMGTPE";
        double value = bytes;
        int unit = -1;
        do {
            value /= 1024;
            unit++;
        } while (value >= 1024 && unit < units.length() - 1);
        if (value < 10) {
            double tenths = Math.ceil(value * 10) / 10;
            if (tenths < 10) {
                return String.format(Locale.ROOT, "%.1f%c", tenths, units.charAt(unit));
            }
            value = tenths;
        }
        double whole = Math.ceil(value);
        if (whole >= 1024 && unit < units.length() - 1) {
            return String.format(Locale.ROOT, "%.1f%c", 1.0, units.charAt(unit + 1));
        }
        return String.format(Locale.ROOT, "%.0f%c", whole, units.charAt(unit));
    }
}
