package dev.proxysql.operator.opsmanager.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RequestDeadlineTest {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final Instant LEFT_QUEUE = Instant.parse("2026-01-01T00:00:00Z");
    private static final String DEADLINE = "2026-01-01T00:45:00Z";

    private static RequestDeadline.Verdict check(OpsStep step, boolean extended, Instant processStart, Instant now) {
        return RequestDeadline.check(step, DEADLINE, extended, processStart, now, TIMEOUT, "45m0s");
    }

    @Test
    void theBudgetIsOneStepTimeoutPerTimedWait() {
        assertThat(RequestDeadline.budget(TIMEOUT, 3, 1, 1)).isEqualTo(Duration.ofMinutes(5 * (3 + 3 * 2)));
        assertThat(RequestDeadline.budget(Duration.ofSeconds(30), 50, 10, 5)).isEqualTo(Duration.ofSeconds(30L * (3 + 50 * 11 * 5)));
        assertThat(RequestDeadline.budget(TIMEOUT, 0, -1, 0)).as("at least one member, attempt and wait").isEqualTo(Duration.ofMinutes(20));
    }

    @Test
    void startSetsTheDeadlineOnceFromTheBudgetAndAFailureGivesTheRollbackTheBudgetAgain() {
        OpsProgress p = new OpsProgress();
        RequestDeadline.start(p, Duration.ofMinutes(45), LEFT_QUEUE.plusMillis(300));
        assertThat(p.getTimeBudget()).isEqualTo("45m0s");
        assertThat(p.getDeadline()).as("whole seconds, rounded up").isEqualTo("2026-01-01T00:45:01Z");
        RequestDeadline.extend(p, Instant.parse("2026-01-01T01:00:00Z"));
        assertThat(p.getDeadlineExtended()).isTrue();

        RequestDeadline.restartForRollback(p, Instant.parse("2026-01-01T02:00:00Z"));

        assertThat(p.getDeadline()).isEqualTo("2026-01-01T02:45:00Z");
        assertThat(p.getDeadlineExtended()).as("the rollback may be moved once too").isNull();
    }

    @Test
    void aRequestThatLeftTheQueueBeforeDeadlinesExistedHasNone() {
        OpsProgress p = new OpsProgress();
        RequestDeadline.restartForRollback(p, LEFT_QUEUE);
        assertThat(p.getDeadline()).isNull();
        assertThat(RequestDeadline.check(OpsStep.REPLACING_PODS, null, false, LEFT_QUEUE, LEFT_QUEUE.plus(Duration.ofDays(365)), TIMEOUT, null))
                .isInstanceOf(RequestDeadline.InTime.class);
    }

    @Test
    void beforeTheDeadlineTheStepDecides() {
        assertThat(check(OpsStep.REPLACING_PODS, false, LEFT_QUEUE, Instant.parse(DEADLINE))).isInstanceOf(RequestDeadline.InTime.class);
    }

    @Test
    void passedWhileTheOperatorRanTheRequestFails() {
        RequestDeadline.Verdict v = check(OpsStep.REPLACING_PODS, false, LEFT_QUEUE.plusSeconds(2000), Instant.parse(DEADLINE).plusSeconds(1));
        assertThat(v).isEqualTo(new RequestDeadline.Expired("step ReplacingPods: the request did not finish by its deadline " + DEADLINE
                + " (time budget 45m0s after it left the queue; operator restarts do not move it)"));
    }

    @Test
    void passedWhileTheOperatorWasDownItIsMovedOnceToTheNewProcessStartPlusOneTimeout() {
        Instant start = Instant.parse("2026-01-01T03:00:00Z");
        assertThat(check(OpsStep.ROLLING_BACK_PODS, false, start, start.plusSeconds(1)))
                .as("an operator that was down does not fail at once what it could not watch")
                .isEqualTo(new RequestDeadline.Extend(start.plus(TIMEOUT)));
        assertThat(check(OpsStep.ROLLING_BACK_PODS, true, start, start.plusSeconds(1)))
                .as("moved once only: a restart loop cannot keep moving it").isInstanceOf(RequestDeadline.Expired.class);
        assertThat(check(OpsStep.ROLLING_BACK_PODS, false, start, start.plus(TIMEOUT)))
                .as("this process has watched for a whole timeout already").isInstanceOf(RequestDeadline.Expired.class);
        assertThat(((RequestDeadline.Expired) check(OpsStep.ROLLING_BACK_PODS, true, start, start.plusSeconds(1))).reason())
                .isEqualTo("step RollingBackPods: the rollback did not finish by its deadline " + DEADLINE + " (moved once for an operator"
                        + " that was not running when it passed) (time budget 45m0s after it failed; operator restarts do not move it)");
    }

    @ParameterizedTest
    @EnumSource(value = OpsStep.class, names = {"QUEUED", "RESUMING", "DONE"})
    void queuedAndResumingAreNotBounded(OpsStep step) {
        assertThat(check(step, true, LEFT_QUEUE, Instant.parse(DEADLINE).plus(Duration.ofDays(1)))).isInstanceOf(RequestDeadline.InTime.class);
    }

    @Test
    void atItsDeadlineARequestFailsAsATimedOutStepWould() {
        assertThat(RequestDeadline.outcome(OpsStep.PAUSING, true, "x")).isEqualTo(new StepOutcome.Fail("x", OpsStep.RESUMING));
        assertThat(RequestDeadline.outcome(OpsStep.REPLACING_PODS, true, "x")).isEqualTo(new StepOutcome.Fail("x", OpsStep.ROLLING_BACK_STATEFUL_SET));
        assertThat(RequestDeadline.outcome(OpsStep.REPLACING_PODS, false, "x")).as("nothing to roll back").isEqualTo(new StepOutcome.Fail("x", OpsStep.RESUMING));
        assertThat(RequestDeadline.outcome(OpsStep.SCALING_MEMBERS, false, "x")).isEqualTo(new StepOutcome.Fail("x", OpsStep.ROLLING_BACK_MEMBERS));
        assertThat(RequestDeadline.outcome(OpsStep.ROTATING_AUTH, false, "x")).isEqualTo(new StepOutcome.Fail("x", OpsStep.ROLLING_BACK_AUTH));
        assertThat(RequestDeadline.outcome(OpsStep.ROLLING_BACK_PODS, true, "x")).isEqualTo(new StepOutcome.RollbackFailed("x"));
    }
}
