package dev.proxysql.operator.opsmanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which requests hold a ProxySQL's pause: any that may still run a step, resuming included. */
class OrphanedPauseReconcilerTest {

    @Test
    void newQueuedAndRunningRequestsHoldThePause() {
        assertThat(OrphanedPauseReconciler.holdsPause(request(null, List.of()))).as("not yet seen").isTrue();
        assertThat(OrphanedPauseReconciler.holdsPause(request(OpsRequestPhase.PENDING, List.of()))).as("queued").isTrue();
        assertThat(OrphanedPauseReconciler.holdsPause(request(OpsRequestPhase.PROGRESSING, List.of("ops.kubedb.com/finalizer"))))
                .as("running").isTrue();
    }

    @Test
    void aFinishedRequestHoldsThePauseOnlyWhileItKeepsItsFinalizer() {
        assertThat(OrphanedPauseReconciler.holdsPause(request(OpsRequestPhase.SUCCESSFUL, List.of("ops.kubedb.com/finalizer")))).isTrue();
        assertThat(OrphanedPauseReconciler.holdsPause(request(OpsRequestPhase.SUCCESSFUL, List.of()))).isFalse();
        assertThat(OrphanedPauseReconciler.holdsPause(request(OpsRequestPhase.FAILED, null))).isFalse();
    }

    private static ProxySQLOpsRequest request(OpsRequestPhase phase, List<String> finalizers) {
        ProxySQLOpsRequest r = new ProxySQLOpsRequest();
        r.setMetadata(new ObjectMetaBuilder().withName("r").withNamespace("demo").withFinalizers(finalizers).build());
        if (phase != null) {
            OpsRequestStatus s = new OpsRequestStatus();
            s.setPhase(phase);
            r.setStatus(s);
        }
        return r;
    }
}
