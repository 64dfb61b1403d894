package dev.proxysql.operator.testing;

import dev.proxysql.operator.provisioner.children.ServiceMonitorFactory;
import dev.proxysql.operator.testing.cluster.Await;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;

/**
 * A minimal ServiceMonitor CRD (src/test/resources/manifests/servicemonitor-crd.yaml) for the test classes that need
 * one. They install it before their operator starts, so that its first discovery sees it, and remove it after the
 * class: the other classes share the cluster and run without it.
 */
public final class ServiceMonitorCrd {
    public static final String NAME = "servicemonitors.monitoring.coreos.com";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private ServiceMonitorCrd() {
    }

    /** Installs the CRD and returns once discovery serves it, which is a moment after Established. */
    public static void install(KubernetesClient admin) {
        CustomResourceDefinition crd = admin.apiextensions().v1().customResourceDefinitions()
                .load(ServiceMonitorCrd.class.getResourceAsStream("/manifests/servicemonitor-crd.yaml")).item();
        admin.resource(crd).fieldManager("test-install").forceConflicts().serverSideApply();
        Await.until(TIMEOUT, "discovery to serve " + ServiceMonitorFactory.API_VERSION + " " + ServiceMonitorFactory.KIND,
                () -> admin.supports(ServiceMonitorFactory.API_VERSION, ServiceMonitorFactory.KIND));
    }

    /** Deletes the CRD and waits until it is gone (its ServiceMonitors go with it). */
    public static void remove(KubernetesClient admin) {
        admin.apiextensions().v1().customResourceDefinitions().withName(NAME).delete();
        Await.until(TIMEOUT, "CRD " + NAME + " gone", () -> admin.apiextensions().v1().customResourceDefinitions().withName(NAME).get() == null);
    }
}
