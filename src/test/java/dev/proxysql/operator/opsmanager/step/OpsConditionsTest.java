package dev.proxysql.operator.opsmanager.step;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.testing.OpsRequests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bounds on an ops request's conditions: per-pod conditions (KubeDB's {@code EvictPod--px-1}) must not grow the
 * list with the number of pods, since the API takes at most 64 conditions and a ProxySQL may have 50 pods; and
 * every status the operator writes fits the API's lengths.
 */
class OpsConditionsTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private static OpsRun run() {
        ProxySQLOpsRequest r = OpsRequests.on("ns", "px").named("restart").type(OpsRequestType.RESTART).build();
        r.getMetadata().setGeneration(1L);
        r.setStatus(new OpsRequestStatus());
        return new OpsRun(r, null, null, List.of(), null, CLOCK, CLOCK.instant(), Duration.ofMinutes(5));
    }

    /** The request's summary conditions of a rolling replacement, as the shared flow writes them. */
    private static void summaries(OpsRun run) {
        for (ConditionType t : List.of(ConditionType.RUNNING, ConditionType.PAUSE_DATABASE, ConditionType.UPDATE_STATEFUL_SETS)) {
            run.condition(t, true, OpsReason.RUNNING, "done");
        }
    }

    private static List<String> types(OpsRun run) {
        return run.status().getConditions().stream().map(Condition::getType).toList();
    }

    private static long perPod(OpsRun run) {
        return run.status().getConditions().stream().filter(c -> PodConditionType.isPerPod(c.getType())).count();
    }

    @Test
    void aRollingReplacementOfFiftyPodsKeepsTheConditionsWithinTheApisBound() {
        OpsRun run = run();
        summaries(run);
        for (int i = 0; i < 50; i++) {
            run.condition(PodConditionType.EVICT_POD, "px-" + i, true, OpsReason.EVICT_POD, "evict pod px-" + i);
            run.condition(PodConditionType.CHECK_POD_READY, "px-" + i, true, OpsReason.POD_READY, "pod px-" + i + " is Ready");
        }
        run.condition(ConditionType.RESTART_PODS, true, OpsReason.RESTART_PODS_SUCCEEDED, "every pod was replaced and checked");

        assertThat(run.status().getConditions()).hasSizeLessThanOrEqualTo(OpsRequestStatus.MAX_CONDITIONS);
        assertThat(perPod(run)).isEqualTo(OpsConditions.MAX_POD_CONDITIONS);
        assertThat(types(run)).as("the summaries and the most recent pods' conditions, in KubeDB's names")
                .contains("Running", "PauseDatabase", "UpdateStatefulSets", "RestartPods", "EvictPod--px-49", "CheckPodReady--px-49",
                        "EvictPod--px-38", "CheckPodReady--px-38")
                .doesNotContain("EvictPod--px-0", "CheckPodReady--px-0", "EvictPod--px-37", "CheckPodReady--px-37");
    }

    @Test
    void aSmallProxySqlKeepsEveryPodsConditionsAsKubeDbShowsThem() {
        OpsRun run = run();
        summaries(run);
        for (int i = 0; i < 3; i++) {
            run.condition(PodConditionType.EVICT_POD, "px-" + i, true, OpsReason.EVICT_POD, "evict");
            run.condition(PodConditionType.CHECK_POD_READY, "px-" + i, true, OpsReason.POD_READY, "ready");
        }
        assertThat(types(run)).containsExactly("Running", "PauseDatabase", "UpdateStatefulSets", "EvictPod--px-0", "CheckPodReady--px-0",
                "EvictPod--px-1", "CheckPodReady--px-1", "EvictPod--px-2", "CheckPodReady--px-2");
    }

    @Test
    void aFailedPodsConditionOutlivesLaterSuccessesAndARewriteCountsAsRecent() {
        OpsRun run = run();
        run.condition(PodConditionType.CHECK_POD_READY, "px-0", false, OpsReason.CHECK_FAILED, "px-0 failed its check");
        run.condition(PodConditionType.EVICT_POD, "px-1", true, OpsReason.EVICT_POD, "evict px-1");
        for (int i = 2; i < 60; i++) {
            run.condition(PodConditionType.RECONFIGURE_POD, "px-" + i, true, OpsReason.RECONFIGURE_POD_SUCCEEDED, "reconfigured");
            // The pod in flight is written again and again (a pending check): it stays, as the most recent.
            run.condition(PodConditionType.EVICT_POD, "px-1", true, OpsReason.EVICT_POD, "evict px-1 again " + i);
        }
        assertThat(perPod(run)).isEqualTo(OpsConditions.MAX_POD_CONDITIONS);
        assertThat(types(run)).contains("CheckPodReady--px-0", "EvictPod--px-1", "ReconfigurePod--px-59").doesNotContain("ReconfigurePod--px-2");
    }

    @Test
    void whenOnlyFailuresAreLeftTheOldestFailureGoes() {
        List<Condition> conditions = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            conditions.add(new Condition(PodConditionType.RELOAD_TLS.of("px-" + i), Condition.FALSE, "ReloadPodFailed", "no"));
        }
        conditions.add(new Condition("Failed", Condition.TRUE, "Failed", "it failed"));
        assertThat(OpsConditions.boundPodConditions(conditions, 2)).extracting(Condition::getType)
                .containsExactly("ReloadTLS--px-3", "ReloadTLS--px-4", "Failed");
    }

    @Test
    void everySummaryTypeAndTheKeptPodConditionsFitTheApisBound() {
        assertThat(ConditionType.values().length + OpsConditions.MAX_POD_CONDITIONS).isLessThanOrEqualTo(OpsRequestStatus.MAX_CONDITIONS);
    }

    @Test
    void perPodTypesAreKubeDbsPrefixesAndAPodName() {
        assertThat(PodConditionType.isPerPod("EvictPod--px-1")).isTrue();
        assertThat(PodConditionType.isPerPod("AddMember--a-b--c")).isTrue();
        assertThat(PodConditionType.isPerPod("EvictPod--")).isFalse();
        assertThat(PodConditionType.isPerPod("EvictPod")).isFalse();
        assertThat(PodConditionType.isPerPod("ReloadTLS")).as("the summary of ReloadTLS is not a pod's").isFalse();
        assertThat(PodConditionType.isPerPod("Something--px-1")).isFalse();
        assertThat(PodConditionType.isPerPod(null)).isFalse();
    }

    @Test
    void messagesAndReasonsAreCutToTheApisLengthsAtTheirMaximum() {
        OpsRun run = run();
        // A Reconfigure of 2 x 64 variables of 1024 characters names them all: over 130,000 characters.
        String huge = "set variables {" + "x".repeat(140_000) + "}";
        run.condition(ConditionType.RECONFIGURE, false, "R".repeat(5000), huge);
        run.condition(PodConditionType.RECONFIGURE_POD, "px-0", false, OpsReason.RECONFIGURE_POD_FAILED, huge);
        run.condition(ConditionType.FAILED, true, OpsReason.FAILED, "x".repeat(Condition.MAX_MESSAGE));
        for (Condition c : run.status().getConditions()) {
            assertThat(c.getMessage().length()).as(c.getType()).isLessThanOrEqualTo(Condition.MAX_MESSAGE);
            assertThat(c.getReason().length()).as(c.getType()).isLessThanOrEqualTo(Condition.MAX_REASON);
        }
        Condition reconfigure = run.status().getConditions().get(0);
        assertThat(reconfigure.getMessage()).hasSize(Condition.MAX_MESSAGE).startsWith("set variables {x").endsWith(Conditions.CUT);
        assertThat(run.status().getConditions().get(2).getMessage()).as("a message of exactly the maximum is kept whole")
                .isEqualTo("x".repeat(Condition.MAX_MESSAGE));
    }

    @Test
    void cuttingNeverSplitsACharacter() {
        String text = "a".repeat(10) + "\uD83D\uDE00".repeat(40);
        // Eleven characters would end on the first half of the first emoji.
        int max = Conditions.CUT.length() + 11;
        String cut = Conditions.cut(text, max);
        assertThat(cut).isEqualTo("a".repeat(10) + Conditions.CUT);
        assertThat(Conditions.cut("short", 10)).isSameAs("short");
    }

    @Test
    void fitBoundsAStatusWrittenBeforeTheBoundsExisted() {
        OpsRequestStatus status = new OpsRequestStatus();
        List<Condition> conditions = new ArrayList<>();
        for (String t : List.of("Running", "PauseDatabase", "UpdateStatefulSets")) {
            conditions.add(new Condition(t, Condition.TRUE, t, "ok"));
        }
        for (int i = 0; i < 40; i++) {
            conditions.add(new Condition(PodConditionType.EVICT_POD.of("px-" + i), Condition.TRUE, "EvictPod", "evict"));
            conditions.add(new Condition(PodConditionType.CHECK_POD_READY.of("px-" + i), Condition.TRUE, "PodReady", "ready"));
        }
        status.setConditions(conditions);

        assertThat(OpsConditions.fit(status)).isTrue();
        assertThat(status.getConditions()).hasSize(OpsRequestStatus.MAX_CONDITIONS);
        assertThat(status.getConditions()).extracting(Condition::getType).startsWith("Running", "PauseDatabase", "UpdateStatefulSets")
                .endsWith("CheckPodReady--px-39");
        assertThat(OpsConditions.fit(status)).as("a status within the bounds is left as it is").isFalse();
    }
}
