package dev.proxysql.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
    @Test
    void durationsAreWrittenLikeSpecTimeout() {
        assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
        assertThat(GoDuration.format(Duration.ofMinutes(5))).isEqualTo("5m0s");
        assertThat(GoDuration.format(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
        assertThat(GoDuration.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(GoDuration.format(Duration.ofSeconds(-5))).isEqualTo("-5s");
    }

    @Test
    void goSyntaxIsParsedAndWrittenBackTheSame() {
        for (String text : new String[] {"5m0s", "1h2m3s", "45s", "250ms"}) {
            assertThat(GoDuration.format(GoDuration.parse(text))).isEqualTo(text);
        }
        assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThatThrownBy(() -> GoDuration.parse("5 minutes")).hasMessageContaining("not a Go duration");
    }
}
