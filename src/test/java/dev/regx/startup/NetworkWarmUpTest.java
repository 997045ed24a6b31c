package dev.regx.startup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The warm-up's order per JDK. (Whether it sets up TLS is the launcher's guess, passed as a property:
 * {@code LauncherScriptTest}.)
 */
class NetworkWarmUpTest {
    @Test
    void theFeatureVersionIsReadFromTheSpecificationVersion() {
        assertThat(NetworkWarmUp.featureVersion("17")).isEqualTo(17);
        assertThat(NetworkWarmUp.featureVersion("25")).isEqualTo(25);
        assertThat(NetworkWarmUp.featureVersion("1.8")).isEqualTo(1);
        assertThat(NetworkWarmUp.featureVersion("")).isZero();
        assertThat(NetworkWarmUp.featureVersion("x")).isZero();
    }
}
