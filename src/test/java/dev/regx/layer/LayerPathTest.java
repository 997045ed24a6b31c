package dev.regx.layer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LayerPathTest {

    @ParameterizedTest
    @CsvSource({
        "./usr/bin/, usr/bin",
        "/etc/hosts, etc/hosts",
        "usr//lib/./x, usr/lib/x",
        "./, ''",
        "/, ''",
        "., ''",
        "'', ''",
        "a/../b, a/../b",
    })
    void normalisesTheSpellingsTarsUse(String raw, String expected) {
        assertThat(LayerPath.normalize(raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({
        "usr/bin, usr, true",
        "usr, usr, true",
        "usrx, usr, false",
        "usr, '', true",
        "us, usr, false",
    })
    void knowsWhatLiesBelowADirectory(String path, String ancestor, boolean expected) {
        assertThat(LayerPath.isSelfOrBelow(path, ancestor)).isEqualTo(expected);
    }
}
