package dev.proxysql.operator.provisioner.children;

import dev.proxysql.operator.api.kubedb.v1.AgentSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.OwnerReferences;
import dev.proxysql.operator.topology.KubeDbLabels;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus Operator's ServiceMonitor {@code <name>-stats} for {@code spec.monitor.agent: prometheus.io/operator},
 * as KubeDB makes it. A generic object, not a typed one: the CRD is optional in the cluster, and a typed class would be
 * picked up as one of the operator's own CRDs.
 */
public final class ServiceMonitorFactory {
    public static final String API_VERSION = "monitoring.coreos.com/v1";
    public static final String KIND = "ServiceMonitor";
    /** Given explicitly so that reads need no discovery call to find the plural. */
    public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("monitoring.coreos.com").withVersion("v1").withKind(KIND).withPlural("servicemonitors")
            .withNamespaced(true).build();

    private ServiceMonitorFactory() {
    }

    public static boolean wanted(ProxySQL p) {
        return p.getSpec().getMonitor() != null && p.getSpec().getMonitor().getAgent() == AgentSpec.Agent.PROMETHEUS_OPERATOR;
    }

    /** Named like the stats Service it scrapes. */
    public static String name(ProxySQL p) {
        return ProxySQLNames.statsService(p);
    }

    public static GenericKubernetesResource build(ProxySQL p) {
        Map<String, Object> serviceMonitor = map(prometheus(p).get("serviceMonitor"));
        Map<String, String> labels = new LinkedHashMap<>();
        map(serviceMonitor.get("labels")).forEach((k, v) -> labels.put(k, String.valueOf(v)));

        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("port", ServiceFactory.METRICS_PORT_NAME);
        endpoint.put("path", "/metrics");
        if (serviceMonitor.get("interval") != null) {
            endpoint.put("interval", String.valueOf(serviceMonitor.get("interval")));
        }
        // Keep the exporter's own labels (KubeDB does the same) instead of renaming them exported_*.
        endpoint.put("honorLabels", true);

        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("namespaceSelector", Map.of("matchNames", List.of(p.getMetadata().getNamespace())));
        spec.put("selector", Map.of("matchLabels", ServiceFactory.stats(p).getMetadata().getLabels()));
        spec.put("endpoints", List.of(endpoint));

        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(KIND)
                .withNewMetadata()
                .withName(name(p))
                .withNamespace(p.getMetadata().getNamespace())
                // Ours win over the user's: the ServiceMonitor must stay recognisable as this ProxySQL's offshoot.
                .withLabels(KubeDbLabels.offshoot(p.getMetadata().getName(), labels))
                .withOwnerReferences(OwnerReferences.controlledBy(p))
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    private static Map<String, Object> prometheus(ProxySQL p) {
        return p.getSpec().getMonitor().getPrometheus() == null ? Map.of() : p.getSpec().getMonitor().getPrometheus();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
