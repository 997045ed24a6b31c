package dev.regx.layer;

/**
 * The ten-character mode column of {@code tar tv}, rendered exactly as GNU tar does: a type letter ({@code -}
 * file, {@code d} directory, {@code l} symlink, {@code h} hard link, {@code c}/{@code b} devices, {@code p} FIFO,
 * {@code ?} unknown), then rwx for user, group, other, with setuid/setgid shown as {@code s} over an execute bit
 * and {@code S} without one, and sticky as {@code t}/{@code T}.
 */
public final class ModeString {
    private ModeString() {}

    public static String of(EntryType type, int mode) {
        char[] out = new char[10];
        out[0] = typeLetter(type);
        out[1] = (mode & 0400) != 0 ? 'r' : '-';
        out[2] = (mode & 0200) != 0 ? 'w' : '-';
        out[3] = execute(mode & 0100, mode & 04000, 's');
        out[4] = (mode & 040) != 0 ? 'r' : '-';
        out[5] = (mode & 020) != 0 ? 'w' : '-';
        out[6] = execute(mode & 010, mode & 02000, 's');
        out[7] = (mode & 04) != 0 ? 'r' : '-';
        out[8] = (mode & 02) != 0 ? 'w' : '-';
        out[9] = execute(mode & 01, mode & 01000, 't');
        return new String(out);
    }

    public static String of(LayerEntry entry) {
        return of(entry.type(), entry.mode());
    }

    private static char execute(int executeBit, int specialBit, char special) {
        if (specialBit != 0) {
            return executeBit != 0 ? special : Character.toUpperCase(special);
        }
        return executeBit != 0 ? 'x' : '-';
    }

    private static char typeLetter(EntryType type) {
        return switch (type) {
            case FILE -> '-';
            case DIRECTORY -> 'd';
            case SYMLINK -> 'l';
            case HARDLINK -> 'h';
            case CHAR_DEVICE -> 'c';
            case BLOCK_DEVICE -> 'b';
            case FIFO -> 'p';
            case OTHER -> '?';
        };
    }
}
