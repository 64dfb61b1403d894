package dev.proxysql.operator.testing;

import dev.proxysql.operator.provisioner.children.ServiceMonitorFactory;
import io.fabric8.kubernetes.client.KubernetesClient;

/** The Prometheus Operator's ServiceMonitor CRD, minimal (src/test/resources/manifests/servicemonitor-crd.yaml). */
public final class ServiceMonitorCrd {
    public static final String NAME = "servicemonitors.monitoring.coreos.com";
    private static final OptionalCrd CRD = new OptionalCrd(NAME, "/manifests/servicemonitor-crd.yaml",
            ServiceMonitorFactory.API_VERSION, ServiceMonitorFactory.KIND);

    private ServiceMonitorCrd() {
    }

    public static void install(KubernetesClient admin) {
        CRD.install(admin);
    }

    public static void remove(KubernetesClient admin) {
        CRD.remove(admin);
    }
}
