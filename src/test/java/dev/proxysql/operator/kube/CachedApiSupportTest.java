package dev.proxysql.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.testing.SteppedClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedApiSupportTest {
    private final SteppedClock clock = new SteppedClock(Instant.parse("2026-12-05T10:00:00Z"));

    @Test
    void asksDiscoveryOncePerTtlAndSeesAChangeAfterIt() {
        AtomicInteger calls = new AtomicInteger();
        AtomicBoolean served = new AtomicBoolean(false);
        CachedApiSupport support = new CachedApiSupport(() -> {
            calls.incrementAndGet();
            return served.get();
        }, clock, Duration.ofSeconds(30));

        assertThat(support.supported()).isFalse();
        served.set(true);
        clock.advance(Duration.ofSeconds(29));
        assertThat(support.supported()).as("still the cached answer").isFalse();
        assertThat(calls).hasValue(1);

        clock.advance(Duration.ofSeconds(1));
        assertThat(support.supported()).isTrue();
        assertThat(calls).hasValue(2);
    }
}
