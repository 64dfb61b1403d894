package dev.proxysql.operator.opsmanager.reconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigureProgress;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.testing.OpsRequests;
import dev.proxysql.operator.testing.OpsRuns;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Reconfigure's final message once resumed (a branch of the state machine before; now the type's): "rolled back" only
 * if the rollback ran to its end and put something back.
 */
class ReconfigureOutcomeTest {
    private final ReconfigureOperation op = new ReconfigureOperation(null, null);

    private static OpsProgress failed(String px0) {
        OpsProgress p = new OpsProgress();
        p.setFailure("step ReconfiguringPods, pod px-1: pod px-1 does not answer on its admin interface (tried for 5s)");
        if (px0 != null) {
            ReconfigureProgress rp = new ReconfigureProgress();
            Map<String, String> pods = new LinkedHashMap<>();
            pods.put("px-0", px0);
            pods.put("px-1", ReconfigureProgress.PENDING);
            rp.setPods(pods);
            p.setReconfigure(rp);
        }
        return p;
    }

    @Test
    void rolledBackWhenAPodGotItsPreviousValuesBack() {
        var run = OpsRuns.of(op, OpsRequests.on("ns", "px").reconfigure("mysqlVariables: {max_connections: 1024}").build(),
                failed(ReconfigureProgress.ROLLED_BACK),
                OpsRuns.condition(ConditionType.ROLLBACK.value(), true, OpsReason.ROLLBACK_SUCCEEDED.value()));
        assertThat(op.failureOutcome(run)).hasValueSatisfying(m -> assertThat(m).endsWith("(tried for 5s); rolled back: the pods already"
                + " changed have their previous values again, the ProxySQL's spec unchanged, ProxySQL resumed"));
    }

    @Test
    void nothingChangedWhenNoPodWasWritten() {
        var run = OpsRuns.of(op, OpsRequests.on("ns", "px").reconfigure("mysqlVariables: {max_connections: 1024}").build(),
                failed(null), OpsRuns.condition(ConditionType.ROLLBACK.value(), true, OpsReason.ROLLBACK_SUCCEEDED.value()));
        assertThat(op.failureOutcome(run)).hasValueSatisfying(m -> assertThat(m).endsWith("(tried for 5s); nothing was changed; ProxySQL resumed"));
    }

    @Test
    void aFailedRollbackIsReported() {
        OpsProgress p = failed(ReconfigureProgress.DONE);
        p.setRollbackFailure("pod px-0 does not answer");
        var run = OpsRuns.of(op, OpsRequests.on("ns", "px").reconfigure("mysqlVariables: {max_connections: 1024}").build(), p);
        assertThat(op.failureOutcome(run)).hasValueSatisfying(m -> assertThat(m).endsWith(
                "; rollback also failed: pod px-0 does not answer; the ProxySQL was resumed anyway"));
    }
}
