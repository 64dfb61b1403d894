package dev.proxysql.operator.opsmanager.rolling;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {
    @Test
    void timestampsAreWholeSecondRfc3339AndReadWithAnyOffset() {
        assertThat(Times.format(Instant.parse("2026-01-01T00:00:00.900Z"))).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(Times.parse("2026-01-01T01:00:00+01:00")).contains(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(Times.parse("2026-01-01T00:00:00.5Z")).contains(Instant.parse("2026-01-01T00:00:00.5Z"));
        assertThat(Times.parse("not a time")).isEmpty();
        assertThat(Times.parse(null)).isEmpty();
    }
}
