package dev.proxysql.operator.provisioner.status;

import static dev.proxysql.operator.kube.Conditions.find;
import static dev.proxysql.operator.kube.Conditions.isTrue;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import java.util.List;

/**
 * KubeDB's phase-from-conditions algorithm (pkg/phase PhaseFromConditionV1), in its order, with one addition: an
 * object that was never provisioned and whose dependencies are missing is NotReady rather than Provisioning, so that
 * a wrong version or backend name does not look like progress. {@code Paused} does not affect the phase.
 */
public final class PhaseCalculator {
    private PhaseCalculator() {
    }

    public static DatabasePhase phase(List<Condition> conditions) {
        if (isTrue(conditions, ConditionTypes.HEALTH_CHECK_PAUSED)) {
            return DatabasePhase.UNKNOWN;
        }
        DatabasePhase phase = DatabasePhase.PROVISIONING;
        if (isTrue(conditions, ConditionTypes.HALTED)) {
            return DatabasePhase.HALTED;
        }
        boolean provisioned = isTrue(conditions, ConditionTypes.PROVISIONED);
        if (!provisioned && isFalse(conditions, ConditionTypes.DEPENDENCY_READY)) {
            return DatabasePhase.NOT_READY;
        }
        if (provisioned && isFalse(conditions, ConditionTypes.ACCEPTING_CONNECTION)) {
            return DatabasePhase.NOT_READY;
        }
        if (provisioned && isFalse(conditions, ConditionTypes.REPLICA_READY)) {
            return DatabasePhase.CRITICAL;
        }
        if (provisioned && isFalse(conditions, ConditionTypes.READY)) {
            return DatabasePhase.CRITICAL;
        }
        if (provisioned && isTrue(conditions, ConditionTypes.READY)) {
            return DatabasePhase.READY;
        }
        return phase;
    }

    private static boolean isFalse(List<Condition> conditions, String type) {
        return find(conditions, type).map(c -> Condition.FALSE.equals(c.getStatus())).orElse(false);
    }
}
