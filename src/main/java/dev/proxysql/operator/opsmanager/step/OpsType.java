package dev.proxysql.operator.opsmanager.step;

import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import java.util.Map;

/**
 * One ops type as the ops manager runs it: its {@link Operation} and the steps of its own flow (none for the types that
 * use the shared template-change flow). Each type's package makes its own; registering it is one line where the ops
 * manager is assembled.
 */
public record OpsType(OpsRequestType type, Operation operation, Map<OpsStep, Step<?>> steps) {

    public OpsType {
        steps = Map.copyOf(steps);
    }

    /** A type that only uses the shared flow (template change, pods replaced one at a time). */
    public static OpsType of(OpsRequestType type, Operation operation) {
        return new OpsType(type, operation, Map.of());
    }
}
