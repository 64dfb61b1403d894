package dev.proxysql.operator.opsmanager.rolling;

import static dev.proxysql.operator.opsmanager.rolling.Fixtures.NEW_IMAGE;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.NEW_REV;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.OLD_IMAGE;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.OLD_REV;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.T0;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.TARGET;
import static dev.proxysql.operator.opsmanager.rolling.Fixtures.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import dev.proxysql.operator.opsmanager.flow.RequestDeadline;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A roll onto a target that never becomes Ready (a crash-looping image) by an operator that restarts every minute
 * (OOM-killed, losing its leadership): each process builds its {@link RollSettings} afresh, with its own start as
 * {@code countsFrom}, and reads the persisted progress and deadline back, as the ops manager does. The pod's wait is
 * then never longer than a minute as the engine counts it, so the step timeout alone never ends the request; the
 * request's {@link RequestDeadline}, persisted and not moved by restarts, does.
 */
class RestartingOperatorSimulationTest {
    private static final Duration TICK = Duration.ofSeconds(10);
    /** Restarted at once after a minute up (lost leadership, OOM-killed and restarted at once). */
    private static final Restarts EVERY_MINUTE = new Restarts(Duration.ofMinutes(1), Duration.ZERO);
    /** Up a minute, then down for 5 minutes: the CrashLoopBackOff cap of the kubelet, longer than the step timeout. */
    private static final Restarts CRASH_LOOP_BACK_OFF = new Restarts(Duration.ofMinutes(1), Duration.ofMinutes(5));
    private static final int REPLICAS = 3;
    private static final int MAX_RETRIES = 1;

    /** The operator runs for {@code up}, is down for {@code down}, and starts again. */
    private record Restarts(Duration up, Duration down) {
    }

    /** How a simulated run ended: the engine's Fail, the deadline's, or not at all within the simulated time. */
    private record End(String by, Instant at) {
    }

    private static FakeStatefulSet crashLoopingTarget() {
        FakeStatefulSet sts = new FakeStatefulSet(REPLICAS, OLD_REV, Map.of("proxysql", OLD_IMAGE));
        sts.changeTemplate(NEW_REV, Map.of("proxysql", NEW_IMAGE));
        sts.neverReadyRevisions.add(NEW_REV);
        return sts;
    }

    /**
     * Runs the ReplacingPods step until it ends or {@code simulated} passes; the operator restarts as {@code restarts}
     * says (null: never); {@code withDeadline} false is the ops manager before deadlines existed.
     */
    private static End run(Restarts restarts, boolean withDeadline, Duration simulated) {
        FakeStatefulSet sts = crashLoopingTarget();
        List<PodProgress> pods = RollPlan.plan(sts.observe().values(), TARGET, "UpdateVersion");
        OpsProgress progress = new OpsProgress();
        progress.setStep(OpsStep.REPLACING_PODS);
        RequestDeadline.start(progress, RequestDeadline.budget(TIMEOUT, REPLICAS, MAX_RETRIES, 1), T0);
        Instant processStart = T0;
        for (Instant now = T0; now.isBefore(T0.plus(simulated)); now = now.plus(TICK)) {
            if (restarts != null && !now.isBefore(processStart.plus(restarts.up()))) {
                if (now.isBefore(processStart.plus(restarts.up()).plus(restarts.down()))) {
                    sts.tick(); // down: the cluster moves on, nobody reconciles
                    continue;
                }
                processStart = now; // a fresh process: nothing but the persisted status survives
            }
            if (withDeadline) {
                RequestDeadline.Verdict v = RequestDeadline.check(progress.getStep(), progress.getDeadline(),
                        Boolean.TRUE.equals(progress.getDeadlineExtended()), processStart, now, TIMEOUT, progress.getTimeBudget());
                if (v instanceof RequestDeadline.Expired) {
                    return new End("deadline", now);
                }
                if (v instanceof RequestDeadline.Extend e) {
                    RequestDeadline.extend(progress, e.until());
                }
            }
            Decision d = RollingReplacement.next(pods, sts.observe(), TARGET, new RollSettings(REPLICAS, TIMEOUT, MAX_RETRIES, processStart), now);
            pods = d.progress();
            if (d.action() instanceof Action.Fail) {
                return new End("engine", now);
            }
            assertThat(d.action()).as("a never-Ready target never completes").isNotInstanceOf(Action.Complete.class);
            if (d.action() instanceof Action.Evict e) {
                sts.evict(e.pod(), e.uid());
            }
            sts.tick();
        }
        return null;
    }

    @Test
    void anOperatorRestartingEveryMinuteEndsTheRequestAtItsDeadline() {
        Instant deadline = T0.plus(RequestDeadline.budget(TIMEOUT, REPLICAS, MAX_RETRIES, 1));
        assertThat(deadline).as("5m x (3 + 3 pods x 2 attempts)").isEqualTo(T0.plus(Duration.ofMinutes(45)));

        End end = run(EVERY_MINUTE, true, Duration.ofDays(1));

        assertThat(end).as("the request ends within a simulated day").isNotNull();
        assertThat(end.by()).isEqualTo("deadline");
        assertThat(end.at()).as("at its deadline, not later").isAfter(deadline).isBefore(deadline.plus(TICK.multipliedBy(2)));
    }

    @Test
    void anOperatorInCrashLoopBackOffEndsTheRequestAfterMovingTheDeadlineOnce() {
        // The deadline (45m) passes while the operator is down (it runs 00:42-00:43, then 00:48-00:49): the process
        // started at 00:48 moves it once, to 00:53; the one started at 00:54 may not move it again.
        End end = run(CRASH_LOOP_BACK_OFF, true, Duration.ofDays(1));

        assertThat(end).as("the request ends within a simulated day").isNotNull();
        assertThat(end.by()).isEqualTo("deadline");
        assertThat(end.at()).isEqualTo(T0.plus(Duration.ofMinutes(54)));
    }

    @Test
    void withoutTheDeadlineTheRestartsKeepTheRequestWaitingForEver() {
        // The ops manager before deadlines: every restart starts the pod's wait again, so a day later it still waits
        // (and the ProxySQL is still paused).
        assertThat(run(EVERY_MINUTE, false, Duration.ofDays(1))).isNull();
        assertThat(run(CRASH_LOOP_BACK_OFF, false, Duration.ofDays(1))).isNull();
    }

    @Test
    void withoutRestartsTheStepTimeoutEndsTheRequestBeforeItsDeadline() {
        // The budget is above what the step clocks allow: it never fails a request they would have let go on.
        End end = run(null, true, Duration.ofDays(1));

        assertThat(end).isNotNull();
        assertThat(end.by()).isEqualTo("engine");
        assertThat(end.at()).isBefore(T0.plus(RequestDeadline.budget(TIMEOUT, REPLICAS, MAX_RETRIES, 1)));
    }
}
