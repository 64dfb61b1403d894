package dev.proxysql.operator.opsmanager;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** Ops-manager counters: finished requests by type and phase, and pod evictions. */
public final class OpsMetrics {
    private final MeterRegistry registry;
    private final Counter evictions;

    public OpsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.evictions = Counter.builder("proxysql.ops.pod.evictions").description("Pods evicted by ops requests").register(registry);
    }

    void evicted() {
        evictions.increment();
    }

    void finished(String type, String phase) {
        Counter.builder("proxysql.ops.requests.finished").tag("type", type).tag("phase", phase)
                .description("Ops requests that reached a final phase").register(registry).increment();
    }

    public double evictionCount() {
        return evictions.count();
    }
}
