package dev.proxysql.operator.provisioner.children;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.AgentSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.testing.OperatorFixture;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceMonitorFactoryTest {

    @Test
    void scrapesTheStatsServiceOfItsNamespaceAsKubeDbDoes() {
        ProxySQL p = monitored(AgentSpec.Agent.PROMETHEUS_OPERATOR, Map.of());

        GenericKubernetesResource sm = ServiceMonitorFactory.build(p);

        assertThat(sm.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
        assertThat(sm.getKind()).isEqualTo("ServiceMonitor");
        assertThat(sm.getMetadata().getName()).isEqualTo("px-stats");
        assertThat(sm.getMetadata().getNamespace()).isEqualTo("demo");
        assertThat(sm.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("ProxySQL");
            assertThat(o.getName()).isEqualTo("px");
            assertThat(o.getUid()).isEqualTo("uid-px");
            assertThat(o.getController()).isTrue();
        });
        assertThat(sm.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "px")
                .containsEntry("app.kubernetes.io/managed-by", "kubedb.com");
        assertThat(sm.<Map<String, String>>get("spec", "selector", "matchLabels"))
                .isEqualTo(ServiceFactory.stats(p).getMetadata().getLabels())
                .containsEntry("kubedb.com/role", "stats");
        assertThat(sm.<List<String>>get("spec", "namespaceSelector", "matchNames")).containsExactly("demo");
        assertThat(endpoint(sm)).containsExactlyInAnyOrderEntriesOf(Map.of("port", "metrics", "path", "/metrics", "honorLabels", true));
    }

    @Test
    void takesTheUsersLabelsAndIntervalButKeepsOurLabels() {
        ProxySQL p = monitored(AgentSpec.Agent.PROMETHEUS_OPERATOR, Map.of("serviceMonitor", Map.of(
                "labels", Map.of("release", "prometheus", "app.kubernetes.io/instance", "not-px"),
                "interval", "10s")));

        GenericKubernetesResource sm = ServiceMonitorFactory.build(p);

        assertThat(sm.getMetadata().getLabels()).containsEntry("release", "prometheus")
                .containsEntry("app.kubernetes.io/instance", "px");
        assertThat(endpoint(sm)).containsEntry("interval", "10s");
    }

    @Test
    void onlyThePrometheusOperatorAgentWantsOne() {
        assertThat(ServiceMonitorFactory.wanted(monitored(AgentSpec.Agent.PROMETHEUS_OPERATOR, null))).isTrue();
        assertThat(ServiceMonitorFactory.wanted(monitored(AgentSpec.Agent.PROMETHEUS, null))).isFalse();
        assertThat(ServiceMonitorFactory.wanted(monitored(AgentSpec.Agent.PROMETHEUS_BUILTIN, null))).isFalse();
        assertThat(ServiceMonitorFactory.wanted(monitored(null, null))).isFalse();
        assertThat(ServiceMonitorFactory.wanted(OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 1))).isFalse();
    }

    @Test
    void noPrometheusSectionMeansNoInterval() {
        assertThat(endpoint(ServiceMonitorFactory.build(monitored(AgentSpec.Agent.PROMETHEUS_OPERATOR, null))))
                .doesNotContainKey("interval");
    }

    private static Map<String, Object> endpoint(GenericKubernetesResource sm) {
        return sm.<List<Map<String, Object>>>get("spec", "endpoints").get(0);
    }

    private static ProxySQL monitored(AgentSpec.Agent agent, Map<String, Object> prometheus) {
        ProxySQL p = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 1);
        p.getMetadata().setUid("uid-px");
        AgentSpec monitor = new AgentSpec();
        monitor.setAgent(agent);
        monitor.setPrometheus(prometheus);
        p.getSpec().setMonitor(monitor);
        return p;
    }
}
