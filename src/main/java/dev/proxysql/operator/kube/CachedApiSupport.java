package dev.proxysql.operator.kube;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Whether an optional API (a CRD of another project) is served, asked through API discovery at most once per
 * {@code ttl}. Discovery needs no RBAC (unlike reading CRDs), but asking it on every reconcile would double the reads
 * of a settled operator; a short ttl still notices a CRD installed or removed later without a restart.
 */
public final class CachedApiSupport {
    private final BooleanSupplier discover;
    private final Clock clock;
    private final Duration ttl;
    private boolean supported;
    private Instant checkedAt;

    public CachedApiSupport(BooleanSupplier discover, Clock clock, Duration ttl) {
        this.discover = discover;
        this.clock = clock;
        this.ttl = ttl;
    }

    /** Reconciles of different ProxySQLs run in parallel, hence synchronized; discovery is one short GET. */
    public synchronized boolean supported() {
        Instant now = clock.instant();
        if (checkedAt == null || !now.isBefore(checkedAt.plus(ttl))) {
            supported = discover.getAsBoolean();
            checkedAt = now;
        }
        return supported;
    }
}
