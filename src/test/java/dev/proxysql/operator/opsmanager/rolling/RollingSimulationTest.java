package dev.proxysql.operator.opsmanager.rolling;

import static dev.proxysql.operator.opsmanager.rolling.Fixtures.NEW_IMAGE;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.NEW_REV;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.OLD_IMAGE;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.OLD_REV;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.PREVIOUS;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.T0;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.TARGET;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import dev.proxysql.operator.opsmanager.rolling.SimulatedOperator.Crashes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Whole rolls against {@link FakeStatefulSet}, with and without operator crashes. */
class RollingSimulationTest {
    private static final Map<String, String> OLD_IMAGES = Map.of("proxysql", OLD_IMAGE);
    private static final Map<String, String> NEW_IMAGES = Map.of("proxysql", NEW_IMAGE, "exporter", "prom/exporter:1");

    /** A set on the old template with one pod that never becomes Ready, then moved to the new template. */
    private static FakeStatefulSet upgraded(int replicas, int broken) {
        FakeStatefulSet sts = new FakeStatefulSet(replicas, OLD_REV, OLD_IMAGES);
        sts.breakPod(broken);
        sts.changeTemplate(NEW_REV, NEW_IMAGES);
        return sts;
    }

    private static SimulatedOperator operator(FakeStatefulSet sts, RollSettings settings, Crashes crashes, long seed) {
        List<PodProgress> plan = RollPlan.plan(sts.observe().values(), TARGET, "UpdateVersion");
        return new SimulatedOperator(sts, TARGET, settings, plan, crashes, seed, T0);
    }

    static Stream<Arguments> rolls() {
        List<Arguments> rolls = new ArrayList<>();
        for (int replicas : new int[] {3, 10}) {
            int broken = replicas == 3 ? 2 : 7;
            rolls.add(Arguments.of(replicas, broken, Crashes.NONE, 0L));
            rolls.add(Arguments.of(replicas, broken, Crashes.AFTER_EVERY_WRITE, 0L));
            for (long seed = 1; seed <= 25; seed++) {
                rolls.add(Arguments.of(replicas, broken, Crashes.RANDOM, seed));
            }
        }
        return rolls.stream();
    }

    @ParameterizedTest(name = "{0} replicas, pod {1} broken, crashes {2}, seed {3}")
    @MethodSource("rolls")
    void rollsToCompleteEvictingEachOriginalPodExactlyOnce(int replicas, int broken, Crashes crashes, long seed) {
        FakeStatefulSet sts = upgraded(replicas, broken);
        SimulatedOperator op = operator(sts, new RollSettings(replicas, TIMEOUT, 1), crashes, seed);
        op.check(v -> {
            // The check is only ever asked for the live replacement, Ready on the target.
            FakeStatefulSet.Pod pod = sts.pod(v.pod()).orElseThrow();
            assertThat(pod.uid).isEqualTo(v.uid());
            assertThat(pod.ready).isTrue();
            assertThat(pod.revision).isEqualTo(NEW_REV);
            return VerifyResult.passed("ok");
        });

        assertThat(op.run(2000)).isEqualTo(new Action.Complete());

        List<String> originals = IntStream.range(0, replicas).mapToObj(i -> "orig-" + i).toList();
        assertThat(sts.evicted).containsExactlyInAnyOrderElementsOf(originals);
        assertThat(op.evictions).extracting(Action.Evict::uid).allMatch(originals::contains);
        List<Integer> expectedOrder = new ArrayList<>(List.of(broken));
        IntStream.range(0, replicas).filter(i -> i != broken).forEach(expectedOrder::add);
        assertThat(sts.evicted).containsExactlyElementsOf(expectedOrder.stream().map(i -> "orig-" + i).toList());
        assertThat(op.maxNotServing).as("pods not serving at once").isLessThanOrEqualTo(1);
        assertThat(op.readyPodsTakenDownBesideAnother).isZero();
        assertThat(sts.observe().values()).hasSize(replicas).allSatisfy(p -> {
            assertThat(TARGET.matches(p)).isTrue();
            assertThat(p.ready()).isTrue();
        });
        assertThat(op.persisted()).extracting(PodProgress::getState).containsOnly("Done");
    }

    @ParameterizedTest(name = "crashes {0}")
    @MethodSource("crashModes")
    void aPodThatStopsBeingReadyMidRollHoldsTheRollUntilItRecovers(Crashes crashes) {
        FakeStatefulSet sts = new FakeStatefulSet(5, OLD_REV, OLD_IMAGES);
        sts.changeTemplate(NEW_REV, NEW_IMAGES);
        sts.disrupt(4, 6, 30); // px-4 drops out while px-1 is being replaced, for about 4 minutes
        SimulatedOperator op = operator(sts, new RollSettings(5, TIMEOUT, 1), crashes, 3);

        assertThat(op.run(2000)).isEqualTo(new Action.Complete());
        assertThat(op.readyPodsTakenDownBesideAnother).isZero();
        assertThat(sts.evicted).containsExactly("orig-0", "orig-1", "orig-2", "orig-3", "orig-4");
        // px-4 may drop out while a replacement is still starting (two down, nobody's choice), never a third.
        assertThat(op.maxNotServing).isLessThanOrEqualTo(2);
    }

    @Test
    void aCheckThatFailsOnceReplacesThatPodOnceMore() {
        FakeStatefulSet sts = upgraded(3, 2);
        Set<String> failedOnce = new HashSet<>();
        SimulatedOperator op = operator(sts, new RollSettings(3, TIMEOUT, 1), Crashes.AFTER_EVERY_WRITE, 0)
                .check(v -> v.pod().equals("px-0") && failedOnce.add(v.pod())
                        ? VerifyResult.failed("runtime_proxysql_servers is empty") : VerifyResult.passed("ok"));

        assertThat(op.run(2000)).isEqualTo(new Action.Complete());
        // orig-2 (broken, first), orig-0, then px-0's first replacement (uid-2), then orig-1.
        assertThat(sts.evicted).containsExactly("orig-2", "orig-0", "uid-2", "orig-1");
        assertThat(op.maxNotServing).isLessThanOrEqualTo(1);
        assertThat(op.persisted().get(1).getReason()).isEqualTo("retry 1/1: ProxySQL check failed: runtime_proxysql_servers is empty");
    }

    @ParameterizedTest(name = "crashes {0}")
    @MethodSource("crashModes")
    void aReplacementThatNeverBecomesReadyFailsAfterItsRetries(Crashes crashes) {
        FakeStatefulSet sts = new FakeStatefulSet(3, OLD_REV, OLD_IMAGES);
        sts.changeTemplate(NEW_REV, NEW_IMAGES);
        sts.neverReadyRevisions.add(NEW_REV);
        SimulatedOperator op = operator(sts, new RollSettings(3, TIMEOUT, 2), crashes, 7);

        assertThat(op.run(2000)).isEqualTo(new Action.Fail("px-0",
                "pod px-0 did not become Ready on revision px-7c9 within 5m0s after 3 attempts"));
        // The original and two replacements, each evicted once; nobody else was touched.
        assertThat(sts.evicted).hasSize(3).doesNotHaveDuplicates().startsWith("orig-0");
        assertThat(sts.pod("px-1").orElseThrow().uid).isEqualTo("orig-1");
        assertThat(sts.pod("px-2").orElseThrow().uid).isEqualTo("orig-2");
        assertThat(Duration.between(T0, op.now)).isGreaterThanOrEqualTo(TIMEOUT.multipliedBy(3));
        assertThat(op.maxNotServing).isEqualTo(1);
    }

    static Stream<Crashes> crashModes() {
        return Stream.of(Crashes.NONE, Crashes.AFTER_EVERY_WRITE, Crashes.RANDOM);
    }

    @Test
    void theOnlyPodOfASingleReplicaSetIsReplaced() {
        FakeStatefulSet sts = new FakeStatefulSet(1, OLD_REV, OLD_IMAGES);
        sts.changeTemplate(NEW_REV, NEW_IMAGES);
        SimulatedOperator op = operator(sts, new RollSettings(1, TIMEOUT, 1), Crashes.AFTER_EVERY_WRITE, 0);

        assertThat(op.run(500)).isEqualTo(new Action.Complete());
        assertThat(sts.evicted).containsExactly("orig-0");
        assertThat(op.maxNotServing).as("the only pod was down for a while").isEqualTo(1);
        assertThat(TARGET.matches(sts.observe().get("px-0"))).isTrue();
    }

    @Test
    void anEvictionTheBudgetKeepsRefusingIsRepeatedForTheSameUidThenFails() {
        FakeStatefulSet healthy = new FakeStatefulSet(3, OLD_REV, OLD_IMAGES);
        healthy.changeTemplate(NEW_REV, NEW_IMAGES);
        healthy.refuseEvictions = true;
        SimulatedOperator op = operator(healthy, new RollSettings(3, TIMEOUT, 3), Crashes.NONE, 0);

        assertThat(op.run(500)).isEqualTo(new Action.Fail("px-0", "pod px-0 (UID orig-0) was not evicted within 5m0s:"
                + " the Eviction API kept refusing it (a PodDisruptionBudget that allows no disruption answers 429)"));
        assertThat(op.evictions).hasSizeGreaterThan(10)
                .allSatisfy(e -> assertThat(e).isEqualTo(new Action.Evict("px-0", "orig-0", e.reason())));
        assertThat(healthy.evicted).isEmpty();
        assertThat(op.now).isEqualTo(T0.plus(TIMEOUT));
    }

    @Test
    void aFailedRollIsRolledBackByTheSameEngine() {
        FakeStatefulSet sts = new FakeStatefulSet(3, OLD_REV, OLD_IMAGES);
        sts.changeTemplate(NEW_REV, NEW_IMAGES);
        sts.neverReadyRevisions.add(NEW_REV);
        RollSettings settings = new RollSettings(3, TIMEOUT, 0);
        Action failed = operator(sts, settings, Crashes.AFTER_EVERY_WRITE, 0).run(500);
        assertThat(failed).isInstanceOf(Action.Fail.class);

        // The ops manager puts the previous template back; the controller reuses the old revision.
        sts.changeTemplate(OLD_REV, OLD_IMAGES);
        List<PodProgress> plan = RollbackPlan.plan(sts.observe().values(), PREVIOUS);
        assertThat(plan).extracting(PodProgress::getName).containsExactly("px-0");
        SimulatedOperator rollback = new SimulatedOperator(sts, PREVIOUS, settings, plan, Crashes.AFTER_EVERY_WRITE, 0, T0);

        assertThat(rollback.run(500)).isEqualTo(new Action.Complete());
        assertThat(sts.observe().values()).allSatisfy(p -> {
            assertThat(PREVIOUS.matches(p)).isTrue();
            assertThat(p.ready()).isTrue();
        });
        assertThat(sts.pod("px-1").orElseThrow().uid).isEqualTo("orig-1");
        assertThat(sts.pod("px-2").orElseThrow().uid).isEqualTo("orig-2");
    }
}
