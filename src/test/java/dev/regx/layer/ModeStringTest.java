package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModeStringTest {

    @ParameterizedTest
    @CsvSource({
        "FILE,         0755, -rwxr-xr-x",
        "FILE,         0644, -rw-r--r--",
        "DIRECTORY,    0755, drwxr-xr-x",
        "SYMLINK,      0777, lrwxrwxrwx",
        "HARDLINK,     0644, hrw-r--r--",
        "CHAR_DEVICE,  0666, crw-rw-rw-",
        "BLOCK_DEVICE, 0660, brw-rw----",
        "FIFO,         0644, prw-r--r--",
        "OTHER,        0644, ?rw-r--r--",
        "FILE,         4755, -rwsr-xr-x",
        "FILE,         4644, -rwSr--r--",
        "FILE,         2755, -rwxr-sr-x",
        "FILE,         2745, -rwxr-Sr-x",
        "DIRECTORY,    1777, drwxrwxrwt",
        "DIRECTORY,    1776, drwxrwxrwT",
        "FILE,         7000, ---S--S--T",
        "FILE,         7777, -rwsrwsrwt",
        "FILE,         0000, ----------",
    })
    void rendersModesAsGnuTarDoes(EntryType type, String octalMode, String expected) {
        assertThat(ModeString.of(type, Integer.parseInt(octalMode, 8))).isEqualTo(expected);
    }
}
