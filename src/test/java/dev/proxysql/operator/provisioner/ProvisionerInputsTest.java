package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.topology.BackendModes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.kubedb.v1.AgentSpec;
import dev.proxysql.operator.api.kubedb.v1.DeletionPolicy;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.provisioner.children.SecretFactory;
import dev.proxysql.operator.provisioner.children.ServiceFactory;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.ProxySqlCnfRenderer;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.topology.BackendAddress;
import dev.proxysql.operator.topology.ProxySQLNames;
import dev.proxysql.operator.topology.StatefulSetFactory;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a ProxySQL pod can read — its configuration Secret and its environment — carries the {@code <name>-monitor}
 * Secret's credentials, never the backend's own (the AppBinding's, usually root).
 */
class ProvisionerInputsTest {
    private static final String BACKEND_USER = "root";
    private static final String BACKEND_PASSWORD = "Backend-Root-Pw-0123";
    private static final Credentials MONITOR = new Credentials("proxysql_0a1b2c3d", "MonitorPw0123456789abcd");

    private final ProxySQL proxysql = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 3);
    private final ResolvedReferences refs = references();

    @Test
    void proxysqlCnfCarriesTheMonitorSecretsCredentials() {
        String cnf = ProxySqlCnfRenderer.render(ConfigInputMapper.map(proxysql, refs, java.util.List.of(refs.backendAddress()), "ClusterPw0123456789abcd", MONITOR, BackendModes.inUse(proxysql, refs.backend()))).cnfOrThrow();

        assertThat(cnf).contains("monitor_username=\"" + MONITOR.username() + "\"", "monitor_password=\"" + MONITOR.password() + "\"")
                .doesNotContain(BACKEND_PASSWORD)
                .doesNotContain("monitor_username=\"" + BACKEND_USER + "\"");
    }

    @Test
    void thePodsBackendCredentialsComeFromTheMonitorSecret() {
        StatefulSet sts = StatefulSetFactory.build(proxysql, ConfigInputMapper.statefulSetInputs(proxysql, refs));

        var env = sts.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
        assertThat(secretRef(env, "BACKEND_AUTH_USERNAME")).isEqualTo("px-monitor/username");
        assertThat(secretRef(env, "BACKEND_AUTH_PASSWORD")).isEqualTo("px-monitor/password");
        assertThat(Serialization.asJson(sts)).as("the pod spec names neither the backend Secret nor its password")
                .doesNotContain(refs.backendSecret().getMetadata().getName())
                .doesNotContain(BACKEND_PASSWORD);
    }

    @Test
    void theMonitorSecretIsBasicAuthForThisProxySqlsMonitorUserAndOwnedOnlyForWipeOut() {
        String user = ProxySQLNames.monitorUser(proxysql);
        Secret kept = SecretFactory.newCredentialsSecret(proxysql, ProxySQLNames.monitorSecret(proxysql), user, "pw");
        proxysql.getSpec().setDeletionPolicy(DeletionPolicy.WIPE_OUT);
        Secret wiped = SecretFactory.newCredentialsSecret(proxysql, ProxySQLNames.monitorSecret(proxysql), user, "pw");

        assertThat(kept.getMetadata().getName()).isEqualTo("px-monitor");
        assertThat(kept.getType()).isEqualTo("kubernetes.io/basic-auth");
        assertThat(kept.getStringData()).containsEntry("username", user).containsEntry("password", "pw");
        assertThat(kept.getMetadata().getLabels()).containsEntry("app.kubernetes.io/instance", "px");
        assertThat(kept.getMetadata().getOwnerReferences()).isNullOrEmpty();
        assertThat(wiped.getMetadata().getOwnerReferences()).singleElement().satisfies(o -> assertThat(o.getName()).isEqualTo("px"));
    }

    @Test
    void aMonitoredProxySqlWithoutAnExporterServesItsOwnMetricsOnThePortTheStatsServiceTargets() {
        proxysql.getSpec().setMonitor(Serialization.unmarshal("{\"agent\": \"prometheus.io/builtin\"}", AgentSpec.class));
        ResolvedReferences noExporter = new ResolvedReferences(Optional.empty(), withoutExporter(), refs.backend(),
                refs.backendAddress(), refs.backendSecret(), Optional.empty(), Optional.empty(), Optional.empty());

        String cnf = ProxySqlCnfRenderer.render(ConfigInputMapper.map(proxysql, noExporter, java.util.List.of(noExporter.backendAddress()), "ClusterPw0123456789abcd", MONITOR, BackendModes.inUse(proxysql, noExporter.backend()))).cnfOrThrow();
        StatefulSet sts = StatefulSetFactory.build(proxysql, ConfigInputMapper.statefulSetInputs(proxysql, noExporter));

        assertThat(cnf).contains("restapi_enabled=true", "restapi_port=6070");
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers()).singleElement().satisfies(c ->
                assertThat(c.getPorts()).anySatisfy(port -> {
                    assertThat(port.getName()).isEqualTo("metrics");
                    assertThat(port.getContainerPort()).isEqualTo(6070);
                }));
        assertThat(ServiceFactory.stats(proxysql).getSpec().getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getTargetPort().getStrVal()).isEqualTo("metrics"));
    }

    @Test
    void withAnExporterInTheCatalogTheSidecarServesTheMetricsAndProxySqlsOwnEndpointStaysOff() {
        proxysql.getSpec().setMonitor(Serialization.unmarshal("{\"agent\": \"prometheus.io/builtin\"}", AgentSpec.class));

        String cnf = ProxySqlCnfRenderer.render(ConfigInputMapper.map(proxysql, refs, java.util.List.of(refs.backendAddress()), "ClusterPw0123456789abcd", MONITOR, BackendModes.inUse(proxysql, refs.backend()))).cnfOrThrow();
        StatefulSet sts = StatefulSetFactory.build(proxysql, ConfigInputMapper.statefulSetInputs(proxysql, refs));

        assertThat(cnf).doesNotContain("restapi_enabled");
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers()).extracting(c -> c.getName()).containsExactly("proxysql", "exporter");
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getPorts()).extracting(port -> port.getName())
                .containsExactly("db", "admin");
    }

    @Test
    void theProxySqlContainerKeepsServingAMomentAfterItsPodStartsTerminatingUnlessTheUserSaysOtherwise() {
        StatefulSet sts = StatefulSetFactory.build(proxysql, ConfigInputMapper.statefulSetInputs(proxysql, refs));
        assertThat(sts.getSpec().getTemplate().getSpec().getContainers().get(0).getLifecycle().getPreStop().getSleep().getSeconds())
                .as("preStop sleep, so that kube-proxy stops sending new connections before ProxySQL exits").isEqualTo(5L);

        proxysql.getSpec().setPodTemplate(Serialization.unmarshal(
                "{\"spec\": {\"containers\": [{\"name\": \"proxysql\", \"lifecycle\": {\"preStop\": {\"sleep\": {\"seconds\": 20}}}}]}}",
                dev.proxysql.operator.api.kubedb.v1.PodTemplateSpec.class));
        StatefulSet custom = StatefulSetFactory.build(proxysql, ConfigInputMapper.statefulSetInputs(proxysql, refs));
        assertThat(custom.getSpec().getTemplate().getSpec().getContainers().get(0).getLifecycle().getPreStop().getSleep().getSeconds())
                .as("the user's own lifecycle").isEqualTo(20L);
    }

    private static ProxySQLVersion withoutExporter() {
        ProxySQLVersion v = version();
        v.getSpec().setExporter(null);
        return v;
    }

    private static String secretRef(java.util.List<EnvVar> env, String name) {
        var ref = env.stream().filter(e -> name.equals(e.getName())).findFirst().orElseThrow().getValueFrom().getSecretKeyRef();
        return ref.getName() + "/" + ref.getKey();
    }

    static ResolvedReferences references() {
        AppBinding binding = Serialization.unmarshal(ProvisionerInputsTest.class.getResourceAsStream("/manifests/appbinding-mysql.yaml"), AppBinding.class);
        binding.getMetadata().setNamespace("demo");
        Secret backendSecret = new SecretBuilder().withNewMetadata().withName("mysql-server-auth").withNamespace("demo").endMetadata()
                .withStringData(Map.of("username", BACKEND_USER, "password", BACKEND_PASSWORD)).build();
        return new ResolvedReferences(Optional.empty(), version(), binding, BackendAddress.of(binding).orElseThrow(), backendSecret,
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static ProxySQLVersion version() {
        try {
            return Serialization.unmarshal(Files.readString(Path.of("deploy/catalog/proxysql-2.6.3-debian.yaml")), ProxySQLVersion.class);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
