package dev.proxysql.operator.opsmanager.rotateauth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.testing.OpsRequests;
import dev.proxysql.operator.testing.OpsRuns;
import org.junit.jupiter.api.Test;

/** RotateAuth's final message once resumed (a branch of the state machine before; now the type's). */
class RotateAuthOutcomeTest {
    private final RotateAuthOperation op = new RotateAuthOperation(null, null, null);

    private static OpsProgress failed(String rollbackFailure) {
        OpsProgress p = new OpsProgress();
        p.setFailure("step RotatingAuth: pod px-1 does not answer on its admin interface (for 5s)");
        p.setRollbackFailure(rollbackFailure);
        return p;
    }

    @Test
    void rolledBack() {
        var run = OpsRuns.of(op, OpsRequests.on("ns", "px").rotateAuth(null).build(), failed(null),
                OpsRuns.condition(ConditionType.ROLLBACK.value(), true, OpsReason.ROLLBACK_SUCCEEDED.value()));
        assertThat(op.failureOutcome(run)).contains("step RotatingAuth: pod px-1 does not answer on its admin interface (for 5s); rolled back:"
                + " every pod accepts the previous pair again and the auth Secret is as before, ProxySQL resumed");
    }

    @Test
    void notRolledBack() {
        var run = OpsRuns.of(op, OpsRequests.on("ns", "px").rotateAuth(null).build(), failed(null));
        assertThat(op.failureOutcome(run)).hasValueSatisfying(m -> assertThat(m).endsWith("(for 5s); ProxySQL resumed"));
    }

    @Test
    void aFailedRollbackIsReported() {
        var run = OpsRuns.of(op, OpsRequests.on("ns", "px").rotateAuth(null).build(), failed("pod px-1 does not answer"),
                OpsRuns.condition(ConditionType.ROLLBACK.value(), false, OpsReason.ROLLBACK_FAILED.value()));
        assertThat(op.failureOutcome(run)).hasValueSatisfying(m -> assertThat(m).endsWith(
                "; rollback also failed: pod px-1 does not answer; the ProxySQL was resumed anyway"));
    }
}
