package dev.proxysql.operator.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CachedApiSupportTest {
    private Instant now = Instant.parse("2026-12-05T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

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
        now = now.plusSeconds(29);
        assertThat(support.supported()).as("still the cached answer").isFalse();
        assertThat(calls).hasValue(1);

        now = now.plusSeconds(1);
        assertThat(support.supported()).isTrue();
        assertThat(calls).hasValue(2);
    }
}
