package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.CachedApiSupport;
import dev.proxysql.operator.kube.ChildApplier;
import dev.proxysql.operator.provisioner.children.ServiceMonitorFactory;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * Creates, updates and deletes a ProxySQL's ServiceMonitor. Unlike the other children it has no informer (its CRD may
 * be installed after the operator starts, or never), so the live object is read with a GET, and only while discovery
 * says the CRD is served: without the CRD no ServiceMonitor can exist, and nothing is read at all.
 */
final class ServiceMonitorWriter {
    private final KubernetesClient client;
    private final ChildApplier applier;
    private final Runnable onWrite;
    private final CachedApiSupport crdServed;

    ServiceMonitorWriter(KubernetesClient client, ChildApplier applier, Runnable onWrite, CachedApiSupport crdServed) {
        this.client = client;
        this.applier = applier;
        this.onWrite = onWrite;
        this.crdServed = crdServed;
    }

    /** Applies the ServiceMonitor when the ProxySQL wants one, deletes it otherwise; writes only on a change. */
    void reconcile(ProxySQL p, boolean running) {
        if (!crdServed.supported()) {
            return;
        }
        GenericKubernetesResource live = resource(p).get();
        if (running && ServiceMonitorFactory.wanted(p)) {
            applier.apply(ServiceMonitorFactory.build(p), live);
        } else if (live != null && live.getMetadata().getDeletionTimestamp() == null) {
            resource(p).delete();
            onWrite.run();
        }
    }

    private Resource<GenericKubernetesResource> resource(ProxySQL p) {
        return client.genericKubernetesResources(ServiceMonitorFactory.CONTEXT)
                .inNamespace(p.getMetadata().getNamespace()).withName(ServiceMonitorFactory.name(p));
    }
}
