package dev.proxysql.operator.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeadershipTest {
    static final LeaderElectionSettings SETTINGS = new LeaderElectionSettings("ops", "proxysql-operator", "me_1234",
            Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2));

    @Test
    void josdkGetsOurSettingsAndCallbacksAndDoesNotExitOnItsOwn() {
        Leadership l = Leadership.elect(SETTINGS, new SimpleMeterRegistry(), () -> { });
        LeaderElectionConfiguration c = l.configuration().orElseThrow();
        assertThat(c.getLeaseNamespace()).contains("ops");
        assertThat(c.getLeaseName()).isEqualTo("proxysql-operator");
        assertThat(c.getIdentity()).contains("me_1234");
        assertThat(c.getLeaseDuration()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.getRenewDeadline()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.getRetryPeriod()).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.isExitOnStopLeading()).as("JOSDK's System.exit is replaced by our halt").isFalse();
        assertThat(c.getLeaderCallbacks()).isPresent();
        assertThat(Leadership.disabled(new SimpleMeterRegistry()).configuration()).isEmpty();
    }

    @Test
    void losingTheLeaseStopsTheProcessButAShutdownDoesNot() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        AtomicInteger halts = new AtomicInteger();
        Leadership l = Leadership.elect(SETTINGS, registry, halts::incrementAndGet);
        LeaderCallbacks callbacks = l.configuration().orElseThrow().getLeaderCallbacks().orElseThrow();
        assertThat(l.state()).isEqualTo(Leadership.State.STANDING_BY);
        assertThat(registry.get("proxysql.operator.leader").gauge().value()).isZero();

        callbacks.onNewLeader("other_9");
        assertThat(l.describe()).contains("standing by").contains("held by other_9");
        callbacks.onNewLeader("me_1234");
        callbacks.onStartLeading();
        assertThat(l.state()).isEqualTo(Leadership.State.LEADING);
        assertThat(l.acting()).isTrue();
        assertThat(registry.get("proxysql.operator.leader").gauge().value()).isEqualTo(1);

        callbacks.onNewLeader("thief_1");
        callbacks.onStopLeading();
        assertThat(halts).as("halted on loss").hasValue(1);
        assertThat(l.state()).isEqualTo(Leadership.State.LOST);
        assertThat(registry.get("proxysql.operator.leader").gauge().value()).isZero();

        Leadership stopping = Leadership.elect(SETTINGS, new SimpleMeterRegistry(), halts::incrementAndGet);
        LeaderCallbacks c2 = stopping.configuration().orElseThrow().getLeaderCallbacks().orElseThrow();
        c2.onStartLeading();
        stopping.stopping();
        c2.onStopLeading();
        assertThat(halts).as("no halt on a deliberate shutdown").hasValue(1);
    }

    @Test
    void leaderElectionOffMeansAlwaysActing() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Leadership l = Leadership.disabled(registry);
        assertThat(l.acting()).isTrue();
        assertThat(l.describe()).isEqualTo("leader election off: reconciling");
        assertThat(registry.get("proxysql.operator.leader").gauge().value()).isEqualTo(1);
    }

    @Test
    void timingsMustLeaveRoomForRenewing() {
        assertThatThrownBy(() -> new LeaderElectionSettings("ns", "l", "i", Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(2)))
                .hasMessageContaining("lease duration (10s) must be longer than the renew deadline (10s)");
        assertThatThrownBy(() -> new LeaderElectionSettings("ns", "l", "i", Duration.ofSeconds(15), Duration.ofMillis(2400), Duration.ofSeconds(2)))
                .hasMessageContaining("1.2 × the retry period (2s)");
        assertThat(SETTINGS.worstTakeover()).isEqualTo(Duration.ofMillis(15_000 + 4_400));
        assertThat(LeaderElectionSettings.text(Duration.ofMillis(1500))).isEqualTo("1500ms");
    }
}
