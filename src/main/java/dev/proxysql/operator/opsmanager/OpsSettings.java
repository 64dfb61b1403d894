package dev.proxysql.operator.opsmanager;

import java.time.Duration;

/**
 * @param defaultTimeout  per-step bound when the request has no spec.timeout
 * @param poll            how soon to look again while waiting for pods or the provisioner
 */
public record OpsSettings(Duration defaultTimeout, Duration poll) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);

    public static OpsSettings defaults() {
        return new OpsSettings(DEFAULT_TIMEOUT, Duration.ofSeconds(1));
    }
}
