package dev.proxysql.operator.opsmanager.rolling;

import java.time.Duration;
import java.time.Instant;

/**
 * The request's limits for the roll.
 *
 * @param replicas             the StatefulSet's desired replicas; pods with an ordinal below it must serve
 * @param stepTimeout          upper bound for each wait on one pod (spec.timeout); a missing or negative value
 *                             becomes {@link #DEFAULT_STEP_TIMEOUT}
 * @param maxRetries           how many further attempts one pod gets (spec.maxRetries); negative becomes 0
 * @param countsFrom           waits are counted from no earlier than this: when the operator process started, so that
 *                             the time it was not running does not count against a pod (a crash with a long restart
 *                             must not fail, or end the rollback of, a pod it never gave a chance); null is no floor
 *
 * <p>Every Ready replacement is verified ({@link Action.Verify}); with ProxySQL-level checks switched off the check
 * itself passes at once (ProxySQLLevelCheck.skipped) and says so, so there is one path.
 */
public record RollSettings(int replicas, Duration stepTimeout, int maxRetries, Instant countsFrom) {
    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(5);

    public RollSettings {
        if (stepTimeout == null || stepTimeout.isNegative()) {
            stepTimeout = DEFAULT_STEP_TIMEOUT;
        }
        maxRetries = Math.max(0, maxRetries);
        countsFrom = countsFrom == null ? Instant.EPOCH : countsFrom;
    }

    /** With no floor under the waits. */
    public RollSettings(int replicas, Duration stepTimeout, int maxRetries) {
        this(replicas, stepTimeout, maxRetries, null);
    }
}
