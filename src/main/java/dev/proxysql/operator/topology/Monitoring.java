package dev.proxysql.operator.topology;

import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;

/** Whether a ProxySQL is monitored, and who serves its metrics: the catalog's exporter, or ProxySQL itself. */
public final class Monitoring {

    private Monitoring() {
    }

    /** Monitoring is on when the ProxySQL names a monitoring agent. */
    public static boolean enabled(ProxySQL p) {
        return p.getSpec().getMonitor() != null && p.getSpec().getMonitor().getAgent() != null;
    }

    /** Monitored, and the version names no exporter: ProxySQL's own REST API serves {@code /metrics} on 6070. */
    public static boolean servesOwnMetrics(ProxySQL p, ProxySQLVersion version) {
        return enabled(p) && version.getSpec().getExporter() == null;
    }
}
