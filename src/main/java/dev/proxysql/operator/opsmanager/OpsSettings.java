package dev.proxysql.operator.opsmanager;

import java.time.Duration;

/**
 * @param proxysqlChecks  run the ProxySQL-level check (admin interface) on every replaced pod
 * @param defaultTimeout  per-step bound when the request has no spec.timeout
 * @param poll            how soon to look again while waiting for pods or the provisioner
 */
public record OpsSettings(boolean proxysqlChecks, Duration defaultTimeout, Duration poll) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public static OpsSettings defaults(boolean proxysqlChecks) {
        return new OpsSettings(proxysqlChecks, DEFAULT_TIMEOUT, Duration.ofSeconds(1));
    }
}
