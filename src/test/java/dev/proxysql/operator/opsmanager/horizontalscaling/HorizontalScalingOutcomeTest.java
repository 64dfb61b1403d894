package dev.proxysql.operator.opsmanager.horizontalscaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.testing.OpsRequests;
import dev.proxysql.operator.testing.OpsRuns;
import org.junit.jupiter.api.Test;

/** HorizontalScaling's final message once resumed (it was a branch of the state machine before; now the type's). */
class HorizontalScalingOutcomeTest {
    private final HorizontalScalingOperation op = new HorizontalScalingOperation(null);

    private static OpsProgress failed(String rollbackFailure) {
        OpsProgress p = new OpsProgress();
        p.setFailure("step ScalingMembers: pod px-3 did not become Ready within 20s (not Ready)");
        p.setRollbackFailure(rollbackFailure);
        p.setFromReplicas(3);
        return p;
    }

    @Test
    void rolledBackToTheOriginalMembers() {
        var run = OpsRuns.of(op, OpsRequests.on("ns", "px").horizontalScaling(5).build(), failed(null),
                OpsRuns.condition(ConditionType.ROLLBACK.value(), true, OpsReason.ROLLBACK_SUCCEEDED.value()));
        assertThat(op.failureOutcome(run)).contains("step ScalingMembers: pod px-3 did not become Ready within 20s (not Ready); rolled back:"
                + " 3 members again, each listing exactly them in proxysql_servers, spec.replicas unchanged, ProxySQL resumed");
    }

    @Test
    void aRollbackThatDidNotRunToItsEndIsNotCalledRolledBack() {
        var run = OpsRuns.of(op, OpsRequests.on("ns", "px").horizontalScaling(5).build(), failed(null),
                OpsRuns.condition(ConditionType.ROLLBACK.value(), true, OpsReason.ROLLBACK_STARTED.value()));
        assertThat(op.failureOutcome(run)).hasValueSatisfying(m -> assertThat(m).endsWith("(not Ready); ProxySQL resumed"));
    }

    @Test
    void aFailedRollbackIsReported() {
        var run = OpsRuns.of(op, OpsRequests.on("ns", "px").horizontalScaling(5).build(), failed("pod px-3 was not deleted within 20s"));
        assertThat(op.failureOutcome(run)).hasValueSatisfying(m -> assertThat(m).endsWith(
                "; rollback also failed: pod px-3 was not deleted within 20s; the ProxySQL was resumed anyway"));
    }

    @Test
    void thePlanIsMadeOncePaused() {
        OpsProgress p = new OpsProgress();
        op.planAfterPause(OpsRequests.on("ns", "px").horizontalScaling(5).build(),
                dev.proxysql.operator.testing.OperatorFixture.proxysql("ns", "px", "2.6.3-debian", 3), p);
        assertThat(p.getFromReplicas()).isEqualTo(3);
        assertThat(p.getToReplicas()).isEqualTo(5);
        assertThat(p.getPods()).extracting(e -> e.getName() + " " + e.getReason() + " " + e.getState())
                .containsExactly("px-3 add member Pending", "px-4 add member Pending");
    }

    @Test
    void onlyHorizontalScalingTakesPodsOutOfTheClientService() {
        assertThat(op.takesPodsOutOfClientService()).isTrue();
        assertThat(new dev.proxysql.operator.opsmanager.restart.RestartOperation().takesPodsOutOfClientService()).isFalse();
    }
}
