package dev.regx.cli;

/** Byte counts for people in tables: {@code 3.4 MiB}. */
public final class ByteSize {
    private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

    private ByteSize() {}

    /** Binary units with one decimal above 1 KiB: {@code 512 B}, {@code 1.5 KiB}, {@code 3.4 MiB}. */
    public static String iec(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        int unit = 0;
        double value = bytes;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return oneDecimal(value) + " " + UNITS[unit];
    }

    /** {@code 3.4}: one decimal, rounded half up; by hand, as {@code String.format} costs start-up time. */
    private static String oneDecimal(double value) {
        long tenths = Math.round(value * 10);
        return tenths / 10 + "." + tenths % 10;
    }
}
