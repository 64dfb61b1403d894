package dev.proxysql.operator.provisioner;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The provisioner's own counters: reconciles and the API writes they made. A settled ProxySQL must show reconciles
 * without writes; the tests and the benchmark rely on that, and so can an alert.
 */
public final class ProvisionerMetrics {
    private final Counter reconciles;
    private final Counter childWrites;
    private final Counter statusWrites;

    public ProvisionerMetrics(MeterRegistry registry) {
        this.reconciles = Counter.builder("proxysql.provisioner.reconciles").description("Provisioner reconcile passes").register(registry);
        this.childWrites = Counter.builder("proxysql.provisioner.writes").tag("target", "children")
                .description("API writes to children (apply, create, delete)").register(registry);
        this.statusWrites = Counter.builder("proxysql.provisioner.writes").tag("target", "status")
                .description("ProxySQL status writes").register(registry);
    }

    void reconciled() {
        reconciles.increment();
    }

    void childWrite() {
        childWrites.increment();
    }

    void statusWrite() {
        statusWrites.increment();
    }

    public double reconcileCount() {
        return reconciles.count();
    }

    public double writeCount() {
        return childWrites.count() + statusWrites.count();
    }
}
