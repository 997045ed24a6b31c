package dev.regx.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteSizeTest {
    @ParameterizedTest
    @CsvSource({
        "0, 0 B",
        "1023, 1023 B",
        "1024, 1.0 KiB",
        "1536, 1.5 KiB",
        "3565158, 3.4 MiB",
        "1073741824, 1.0 GiB",
        "1181116006, 1.1 GiB"
    })
    void printsBinaryUnitsWithOneDecimal(long bytes, String text) {
        assertThat(ByteSize.iec(bytes)).isEqualTo(text);
    }
}
