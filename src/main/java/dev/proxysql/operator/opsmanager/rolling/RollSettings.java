package dev.proxysql.operator.opsmanager.rolling;

import java.time.Duration;

/**
 * The request's limits for the roll.
 *
 * @param replicas             the StatefulSet's desired replicas; pods with an ordinal below it must serve
 * @param stepTimeout          upper bound for each wait on one pod (spec.timeout); a missing or negative value
 *                             becomes {@link #DEFAULT_STEP_TIMEOUT}
 * @param maxRetries           how many further attempts one pod gets (spec.maxRetries); negative becomes 0
 *
 * <p>Every Ready replacement is verified ({@link Action.Verify}); with ProxySQL-level checks switched off the check
 * itself passes at once (ProxySQLLevelCheck.skipped) and says so, so there is one path.
 */
public record RollSettings(int replicas, Duration stepTimeout, int maxRetries) {
    public static final Duration DEFAULT_STEP_TIMEOUT = Duration.ofMinutes(5);

    public RollSettings {
        if (stepTimeout == null || stepTimeout.isNegative()) {
            stepTimeout = DEFAULT_STEP_TIMEOUT;
        }
        maxRetries = Math.max(0, maxRetries);
    }
}
