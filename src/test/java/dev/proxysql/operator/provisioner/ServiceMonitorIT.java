package dev.proxysql.operator.provisioner;

import static dev.proxysql.operator.testing.OperatorFixture.createBackend;
import static dev.proxysql.operator.testing.OperatorFixture.proxysql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.AgentSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.provisioner.children.ServiceMonitorFactory;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.ServiceMonitorCrd;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The ServiceMonitor of {@code agent: prometheus.io/operator} against a real API server serving a ServiceMonitor CRD.
 * The CRD is installed before the operator starts (discovery must see it) and removed after the class: the other
 * test classes share the cluster and run without it.
 */
@LocalCluster
class ServiceMonitorIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startProvisioner, ServiceMonitorCrd::install);

    @AfterAll
    static void removeCrd(KubernetesClient admin) {
        ServiceMonitorCrd.remove(admin);
    }

    @Test
    void followsTheMonitorSpecAndGoesWhenTheAgentChanges(KubernetesClient client, TestNamespace ns) {
        createBackend(client, ns.name());
        ProxySQL p = proxysql(ns.name(), "px", "2.6.3-debian", 1);
        p.getSpec().setMonitor(agent(AgentSpec.Agent.PROMETHEUS_OPERATOR, "10s"));
        ProxySQL created = client.resource(p).create();

        GenericKubernetesResource sm = Await.until(TIMEOUT, "ServiceMonitor px-stats with interval 10s",
                () -> serviceMonitor(client, ns), s -> s != null && "10s".equals(endpoint(s).get("interval")));
        assertThat(sm.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getUid()).isEqualTo(created.getMetadata().getUid());
            assertThat(o.getController()).isTrue();
        });
        assertThat(sm.getMetadata().getLabels()).containsEntry("release", "prometheus")
                .containsEntry("app.kubernetes.io/instance", "px");
        Map<String, String> statsLabels = Await.present(TIMEOUT, "the stats Service px-stats",
                () -> client.services().withName("px-stats").get()).getMetadata().getLabels();
        assertThat(sm.<Map<String, String>>get("spec", "selector", "matchLabels")).isNotEmpty()
                .allSatisfy((k, v) -> assertThat(statsLabels).containsEntry(k, v));
        assertThat(sm.<List<String>>get("spec", "namespaceSelector", "matchNames")).containsExactly(ns.name());
        assertThat(endpoint(sm)).containsEntry("port", "metrics").containsEntry("path", "/metrics")
                .containsEntry("honorLabels", true);

        // Merge patches, not edit(): the operator may be writing px (finalizer, status) meanwhile, and an edit could conflict.
        setMonitor(client, "{\"prometheus\":{\"serviceMonitor\":{\"interval\":\"30s\"}}}");
        Await.until(TIMEOUT, "ServiceMonitor px-stats to follow the interval to 30s",
                () -> serviceMonitor(client, ns), s -> s != null && "30s".equals(endpoint(s).get("interval")));

        setMonitor(client, "{\"agent\":\"prometheus.io\"}");
        Await.until(TIMEOUT, "ServiceMonitor px-stats deleted once the agent is prometheus.io",
                () -> serviceMonitor(client, ns) == null);
        assertThat(client.services().withName("px-stats").get()).as("the stats Service stays for prometheus.io").isNotNull();
    }

    private static void setMonitor(KubernetesClient client, String monitorPatch) {
        client.resources(ProxySQL.class).withName("px")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"monitor\":" + monitorPatch + "}}");
    }

    private static GenericKubernetesResource serviceMonitor(KubernetesClient client, TestNamespace ns) {
        return client.genericKubernetesResources(ServiceMonitorFactory.CONTEXT).inNamespace(ns.name()).withName("px-stats").get();
    }

    private static Map<String, Object> endpoint(GenericKubernetesResource sm) {
        List<Map<String, Object>> endpoints = sm.get("spec", "endpoints");
        return Objects.requireNonNull(endpoints).get(0);
    }

    private static AgentSpec agent(AgentSpec.Agent agent, String interval) {
        AgentSpec monitor = new AgentSpec();
        monitor.setAgent(agent);
        monitor.setPrometheus(Map.of("serviceMonitor", Map.of("interval", interval, "labels", Map.of("release", "prometheus"))));
        return monitor;
    }
}
