package dev.proxysql.operator.testing;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@link OpsRun} over an in-memory request, for unit tests of what a type decides from the request's status alone
 * (its final message, its plan): no writer, a fixed clock.
 */
public final class OpsRuns {
    public static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private OpsRuns() {
    }

    /** A run of {@code op} on {@code request}, whose status gets {@code progress} and {@code conditions}. */
    public static OpsRun of(Operation op, ProxySQLOpsRequest request, OpsProgress progress, Condition... conditions) {
        OpsRequestStatus status = new OpsRequestStatus();
        status.setProgress(progress);
        status.setConditions(new ArrayList<>(List.of(conditions)));
        request.setStatus(status);
        return new OpsRun(request, op, null, List.of(), null, Clock.fixed(NOW, ZoneOffset.UTC), NOW, Duration.ofMinutes(5));
    }

    /** A condition as the ops manager writes it. */
    public static Condition condition(String type, boolean status, String reason) {
        Condition c = new Condition();
        c.setType(type);
        c.setStatus(status ? Condition.TRUE : Condition.FALSE);
        c.setReason(reason);
        return c;
    }
}
