package dev.proxysql.operator.provisioner.children;

import dev.proxysql.operator.api.kubedb.v1.NamedServiceTemplateSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.OwnerReferences;
import dev.proxysql.operator.topology.ClientServiceMembership;
import dev.proxysql.operator.topology.KubeDbLabels;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The client Service {@code <name>}, the headless governing Service {@code <name>-pods} and {@code <name>-stats}. */
public final class ServiceFactory {
    /** The stats Service's port name, which the ServiceMonitor's endpoint refers to. */
    public static final String METRICS_PORT_NAME = "metrics";

    private ServiceFactory() {
    }

    public static Service primary(ProxySQL p) {
        Optional<NamedServiceTemplateSpec> template = template(p, NamedServiceTemplateSpec.Alias.PRIMARY);
        String type = template.map(NamedServiceTemplateSpec::getSpec).map(spec -> (String) spec.get("type")).orElse(null);
        return base(p, ProxySQLNames.primaryService(p), template, Map.of())
                .withNewSpec()
                .withType(type == null ? "ClusterIP" : type)
                // Not the StatefulSet's selector: a leaving pod can leave this Service and stay the StatefulSet's.
                .withSelector(ClientServiceMembership.selector(p.getMetadata().getName()))
                .withPorts(port("db", ProxySQLNames.MYSQL_PORT))
                .endSpec()
                .build();
    }

    public static Service governing(ProxySQL p) {
        return base(p, ProxySQLNames.governingService(p), Optional.empty(), Map.of())
                .withNewSpec()
                .withClusterIP("None")
                // Peers must resolve each other before they are Ready: ProxySQL Cluster sync starts at boot.
                .withPublishNotReadyAddresses(true)
                .withSelector(KubeDbLabels.selector(p.getMetadata().getName()))
                .withPorts(port("admin", ProxySQLNames.ADMIN_PORT), port("db", ProxySQLNames.MYSQL_PORT))
                .endSpec()
                .build();
    }

    public static Service stats(ProxySQL p) {
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("prometheus.io/scrape", "true");
        annotations.put("prometheus.io/path", "/metrics");
        annotations.put("prometheus.io/port", String.valueOf(ProxySQLNames.METRICS_PORT));
        return base(p, ProxySQLNames.statsService(p), template(p, NamedServiceTemplateSpec.Alias.STATS), annotations)
                .editMetadata().addToLabels(KubeDbLabels.ROLE, "stats").endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(KubeDbLabels.selector(p.getMetadata().getName()))
                .withPorts(port(METRICS_PORT_NAME, ProxySQLNames.METRICS_PORT))
                .endSpec()
                .build();
    }

    /**
     * Monitored, and the catalog entry names no exporter image: ProxySQL's own Prometheus endpoint (its REST API's
     * {@code /metrics}) serves the metrics port from the proxysql container instead of an exporter sidecar.
     */
    private static ServiceBuilder base(ProxySQL p, String name, Optional<NamedServiceTemplateSpec> template,
                                       Map<String, String> defaultAnnotations) {
        Map<String, String> annotations = new LinkedHashMap<>(defaultAnnotations);
        Map<String, String> extraLabels = null;
        if (template.isPresent() && template.get().getMetadata() != null) {
            if (template.get().getMetadata().getAnnotations() != null) {
                annotations.putAll(template.get().getMetadata().getAnnotations());
            }
            extraLabels = template.get().getMetadata().getLabels();
        }
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(p.getMetadata().getNamespace())
                .withLabels(KubeDbLabels.offshoot(p.getMetadata().getName(), extraLabels))
                .withAnnotations(annotations.isEmpty() ? null : annotations)
                .withOwnerReferences(OwnerReferences.controlledBy(p))
                .endMetadata();
    }

    private static Optional<NamedServiceTemplateSpec> template(ProxySQL p, NamedServiceTemplateSpec.Alias alias) {
        List<NamedServiceTemplateSpec> templates = p.getSpec().getServiceTemplates();
        return templates == null ? Optional.empty() : templates.stream().filter(t -> t.getAlias() == alias).findFirst();
    }

    private static ServicePort port(String name, int port) {
        return new ServicePortBuilder().withName(name).withPort(port).withProtocol("TCP")
                .withTargetPort(new IntOrString(name)).build();
    }
}
