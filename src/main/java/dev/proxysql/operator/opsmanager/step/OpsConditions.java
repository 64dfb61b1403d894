package dev.proxysql.operator.opsmanager.step;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.kube.Conditions;
import java.time.Clock;

/**
 * How a condition is set on a request ({@link ConditionType} and {@link PodConditionType} name them, as KubeDB does).
 */
public final class OpsConditions {

    private OpsConditions() {
    }

    /** Sets (or replaces) a condition, keeping its lastTransitionTime when the status did not change. */
    public static void set(OpsRequestStatus status, ConditionType type, boolean value, String reason, String message,
                           long generation, Clock clock) {
        set(status, type.value(), value, reason, message, generation, clock);
    }

    /** {@link #set(OpsRequestStatus, ConditionType, boolean, String, String, long, Clock)} for a type as spelt on the wire. */
    public static void set(OpsRequestStatus status, String type, boolean value, String reason, String message,
                           long generation, Clock clock) {
        Condition c = Conditions.next(Conditions.find(status.getConditions(), type), type, value, reason, message, generation, clock);
        status.setConditions(Conditions.upsert(status.getConditions(), c));
    }
}
