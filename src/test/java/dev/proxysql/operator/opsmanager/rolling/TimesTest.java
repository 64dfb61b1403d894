package dev.proxysql.operator.opsmanager.rolling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {
    @Test
    void durationsAreWrittenLikeSpecTimeout() {
        assertThat(Times.go(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(Times.go(Duration.ofMinutes(5))).isEqualTo("5m0s");
        assertThat(Times.go(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
        assertThat(Times.go(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Times.go(Duration.ZERO)).isEqualTo("0s");
        assertThat(Times.go(Duration.ofSeconds(-5))).isEqualTo("-5s");
    }

    @Test
    void timestampsAreWholeSecondRfc3339AndReadWithAnyOffset() {
        assertThat(Times.format(Instant.parse("2026-01-01T00:00:00.900Z"))).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(Times.parse("2026-01-01T01:00:00+01:00")).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(Times.parse("2026-01-01T00:00:00.5Z")).contains(Instant.parse("2026-01-01T00:00:00.5Z"));
        assertThat(Times.parse("not a time")).isEmpty();
        assertThat(Times.parse(null)).isEmpty();
    }
}
