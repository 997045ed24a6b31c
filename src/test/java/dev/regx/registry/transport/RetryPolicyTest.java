package dev.regx.registry.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private final RetryPolicy policy =
            new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), Duration.ofSeconds(30), d -> {});

    @Test
    void backsOffExponentiallyWithinTheCapAndGivesUpAfterTheLastAttempt() {
        Duration first = policy.delayBefore(1, Optional.empty()).orElseThrow();
        Duration second = policy.delayBefore(2, Optional.empty()).orElseThrow();
        assertThat(first).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(second).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
        assertThat(policy.delayBefore(3, Optional.empty())).isEmpty();
    }

    @Test
    void honoursRetryAfterInSecondsOrAsADateUpToTheCap() {
        assertThat(policy.delayBefore(1, Optional.of("7"))).contains(Duration.ofSeconds(7));
        assertThat(policy.delayBefore(1, Optional.of("3600"))).isEmpty();
        String inTenSeconds =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
        assertThat(policy.delayBefore(1, Optional.of(inTenSeconds)))
                .hasValueSatisfying(d -> assertThat(d).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10)));
        // Garbage is ignored in favour of our own backoff.
        assertThat(policy.delayBefore(1, Optional.of("soon")))
                .hasValueSatisfying(d -> assertThat(d).isLessThan(Duration.ofSeconds(1)));
    }

    @Test
    void retriesOnly429AndTransientServerErrors() {
        assertThat(RetryPolicy.isRetryableStatus(429)).isTrue();
        assertThat(RetryPolicy.isRetryableStatus(503)).isTrue();
        assertThat(RetryPolicy.isRetryableStatus(500)).isTrue();
        assertThat(RetryPolicy.isRetryableStatus(501)).isFalse();
        assertThat(RetryPolicy.isRetryableStatus(404)).isFalse();
    }
}
