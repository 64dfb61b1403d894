package dev.proxysql.operator.opsmanager.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.LocalObjectReference;
import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequestSpec;
import dev.proxysql.operator.testing.SteppedClock;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsQueueTest {
    private static final String SECOND = "2026-12-05T09:00:00Z";

    private static ProxySQLOpsRequest request(String name, String proxysql, String created, String stamp) {
        ProxySQLOpsRequest r = new ProxySQLOpsRequest();
        Map<String, String> annotations = new HashMap<>();
        if (stamp != null) {
            annotations.put(QueueStamp.ANNOTATION, stamp);
        }
        r.setMetadata(new ObjectMetaBuilder().withNamespace("demo").withName(name).withUid("uid-" + name)
                .withCreationTimestamp(created).withAnnotations(annotations).build());
        ProxySQLOpsRequestSpec spec = new ProxySQLOpsRequestSpec();
        spec.setProxyRef(new LocalObjectReference(proxysql));
        r.setSpec(spec);
        return r;
    }

    private static List<String> sorted(ProxySQLOpsRequest... requests) {
        List<ProxySQLOpsRequest> list = new ArrayList<>(List.of(requests));
        list.sort(OpsQueue.ORDER);
        return list.stream().map(r -> r.getMetadata().getName()).toList();
    }

    private static String blockerOf(ProxySQLOpsRequest r, ProxySQLOpsRequest... all) {
        return OpsQueue.blocker(r, List.of(all)).map(b -> b.getMetadata().getName()).orElse("<none>");
    }

    @Test
    void withinOneSecondTheStampDecidesNotTheName() {
        // zz-first was created first, aa-second 1 ms later: same creationTimestamp, names sort the other way round.
        ProxySQLOpsRequest zz = request("zz-first", "px", SECOND, "2026-12-05T09:00:00.100000000Z");
        ProxySQLOpsRequest aa = request("aa-second", "px", SECOND, "2026-12-05T09:00:00.101000000Z");
        assertThat(sorted(aa, zz)).containsExactly("zz-first", "aa-second");
        assertThat(blockerOf(aa, zz, aa)).isEqualTo("zz-first");
        assertThat(blockerOf(zz, zz, aa)).isEqualTo("<none>");
    }

    @Test
    void stampsOneNanosecondApartAreOrdered() {
        ProxySQLOpsRequest b = request("b", "px", SECOND, "2026-12-05T09:00:00.000000002Z");
        ProxySQLOpsRequest a = request("a", "px", SECOND, "2026-12-05T09:00:00.000000003Z");
        assertThat(sorted(a, b)).containsExactly("b", "a");
    }

    @Test
    void withoutStampsCreationTimestampThenNameDecide() {
        ProxySQLOpsRequest late = request("a-late", "px", "2026-12-05T09:00:01Z", null);
        ProxySQLOpsRequest y = request("y", "px", SECOND, null);
        ProxySQLOpsRequest x = request("x", "px", SECOND, null);
        assertThat(sorted(late, y, x)).containsExactly("x", "y", "a-late");
    }

    @Test
    void anUnstampedRequestCountsAsCreatedAtTheStartOfItsSecond() {
        ProxySQLOpsRequest stampedBefore = request("s-before", "px", "2026-12-05T08:59:59Z", "2026-12-05T08:59:59.999999999Z");
        ProxySQLOpsRequest unstamped = request("u", "px", SECOND, null);
        ProxySQLOpsRequest stampedWithin = request("a-within", "px", SECOND, "2026-12-05T09:00:00.000000001Z");
        assertThat(sorted(stampedWithin, unstamped, stampedBefore)).containsExactly("s-before", "u", "a-within");
    }

    @Test
    void equalStampsFallBackToCreationTimestampThenName() {
        String stamp = "2026-12-05T09:00:00.500000000Z"; // two replicas' clocks agreeing to the nanosecond
        ProxySQLOpsRequest b = request("b", "px", SECOND, stamp);
        ProxySQLOpsRequest a = request("a", "px", SECOND, stamp);
        ProxySQLOpsRequest earlier = request("z", "px", "2026-12-05T08:59:59Z", stamp);
        assertThat(sorted(b, a, earlier)).containsExactly("z", "a", "b");
    }

    @Test
    void aStampOfAnotherShapeIsIgnored() {
        // Only possible without the policy proxysql-queued-at (which refuses it): such a request queues by creationTimestamp.
        for (String bad : List.of("1970-01-01T00:00:00Z", "first", "2026-12-05T09:00:00.1Z", "2026-13-05T09:00:00.000000000Z",
                "2026-12-05T09:00:00.000000000+00:00")) {
            ProxySQLOpsRequest forged = request("a-forged", "px", "2026-12-05T09:00:05Z", bad);
            ProxySQLOpsRequest honest = request("z-honest", "px", SECOND, "2026-12-05T09:00:00.900000000Z");
            assertThat(sorted(forged, honest)).as(bad).containsExactly("z-honest", "a-forged");
        }
    }

    @Test
    void aRequestThatAlreadyStartedBlocksEvenOneThatSortsBeforeIt() {
        // zz-first was admitted and started; aa-second, created in the same second without a stamp (the webhook was
        // down with failurePolicy Ignore), sorts before it by name but must still wait: one at a time comes first.
        ProxySQLOpsRequest first = request("zz-first", "px", SECOND, null);
        OpsRequestStatus status = new OpsRequestStatus();
        OpsProgress progress = new OpsProgress();
        progress.setStep(OpsStep.REPLACING_PODS);
        status.setProgress(progress);
        status.setPhase(OpsRequestPhase.PROGRESSING);
        first.setStatus(status);
        ProxySQLOpsRequest second = request("aa-second", "px", SECOND, null);
        assertThat(sorted(first, second)).containsExactly("aa-second", "zz-first");
        assertThat(blockerOf(second, first, second)).isEqualTo("zz-first");
        assertThat(blockerOf(first, first, second)).as("the running one is not blocked by a queued one").isEqualTo("<none>");
    }

    @Test
    void onlyUnfinishedRequestsOnTheSameProxySQLBlock() {
        ProxySQLOpsRequest done = request("done", "px", SECOND, "2026-12-05T09:00:00.100000000Z");
        OpsRequestStatus status = new OpsRequestStatus();
        status.setPhase(OpsRequestPhase.SUCCESSFUL);
        done.setStatus(status);
        ProxySQLOpsRequest other = request("other", "other-px", SECOND, "2026-12-05T09:00:00.200000000Z");
        ProxySQLOpsRequest running = request("running", "px", SECOND, "2026-12-05T09:00:00.300000000Z");
        ProxySQLOpsRequest me = request("me", "px", SECOND, "2026-12-05T09:00:00.400000000Z");
        assertThat(blockerOf(me, done, other, running, me)).isEqualTo("running");
        assertThat(blockerOf(me, done, other, me)).isEqualTo("<none>");
    }

    @Test
    void stampsHaveNineDigitsAndRoundTrip() {
        assertThat(QueueStamp.format(Instant.parse("2026-12-05T09:00:00Z"))).isEqualTo("2026-12-05T09:00:00.000000000Z");
        assertThat(QueueStamp.format(Instant.parse("2026-12-05T09:00:00.12Z"))).isEqualTo("2026-12-05T09:00:00.120000000Z");
        Instant t = Instant.parse("2026-12-05T09:00:00.123456789Z");
        assertThat(QueueStamp.parse(QueueStamp.format(t))).contains(t);
    }

    @Test
    void thePolicyRefusesExactlyTheShapesTheQueueIgnores() throws Exception {
        String policy = java.nio.file.Files.readString(java.nio.file.Path.of("deploy/policies/queued-at.yaml"));
        assertThat(policy).contains("variables.stamp.matches('" + QueueStamp.SHAPE + "')").contains("'" + QueueStamp.ANNOTATION + "'");
    }

    @Test
    void theSourceNeverRepeatsOrGoesBackEvenWhenTheClockDoes() {
        SteppedClock clock = new SteppedClock(Instant.parse("2026-12-05T09:00:00.000001Z"));
        QueueStamp.Source source = new QueueStamp.Source(clock);
        Instant first = source.next();
        Instant sameTick = source.next();
        clock.set(Instant.parse("2026-12-05T08:59:59Z")); // NTP stepped back
        Instant afterStep = source.next();
        clock.set(Instant.parse("2026-12-05T09:00:01Z"));
        Instant later = source.next();
        assertThat(first).isEqualTo(Instant.parse("2026-12-05T09:00:00.000001Z"));
        assertThat(sameTick).isEqualTo(first.plusNanos(1));
        assertThat(afterStep).isEqualTo(first.plusNanos(2));
        assertThat(later).isEqualTo(Instant.parse("2026-12-05T09:00:01Z"));
    }
}
