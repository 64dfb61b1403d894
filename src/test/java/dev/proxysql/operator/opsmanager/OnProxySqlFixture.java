package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.runtime.OperatorSettings;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the ops-manager tests against real ProxySQL share: the operator with its ProxySQL-level check on, reaching each
 * pod's process through {@link ProxySqlPods#endpoints()}; a local catalog entry; a ProxySQL in front of the local
 * MariaDB whose pods are backed by real processes.
 */
final class OnProxySqlFixture {
    static final String ADMIN = "kubedb_root";
    static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private OnProxySqlFixture() {
    }

    /** Both controllers, the check on, pods reached at their local processes' addresses. */
    static ProxySQLOperator checkedOperator(KubernetesClient client) {
        ProxySQLOperator operator = new ProxySQLOperator(client, new OperatorSettings(true, true, Set.of(), true),
                new SimpleMeterRegistry(), Optional.empty(), ProxySqlPods.endpoints());
        operator.start();
        return operator;
    }

    /** A catalog entry {@code name} running {@code image}; {@code allowlist} (an update constraint) may be null. */
    static void installVersion(KubernetesClient admin, String name, String image, String allowlist) {
        admin.resource(Serialization.unmarshal("""
                apiVersion: catalog.kubedb.com/v1alpha1
                kind: ProxySQLVersion
                metadata: {name: %1$s}
                spec:
                  version: %1$s
                  proxysql: {image: "%2$s"}
                  podSecurityPolicies: {databasePolicyName: proxysql-db}
                  securityContext: {runAsUser: 999}
                """.formatted(name, image) + (allowlist == null ? "" : """
                  updateConstraints:
                    allowlist: ["%s"]
                """.formatted(allowlist)), ProxySQLVersion.class))
                .fieldManager("test-install").forceConflicts().serverSideApply();
    }

    /**
     * A ProxySQL {@code px} of {@code replicas} on the catalog entry {@code version}, in front of {@code mariadb}, its
     * pods backed by real processes ({@code capacity}: how many pods may exist at once); returns once every pod's
     * process runs.
     */
    static ProxySqlPods deploy(KubernetesClient client, TestNamespace ns, LocalMariaDb mariadb, LocalProxySql fleet, int replicas,
                               int capacity, Map<String, String> versionByImage, String version) throws Exception {
        return deploy(client, ns, mariadb, fleet, replicas, capacity, versionByImage, version, p -> { });
    }

    /** {@link #deploy}, with {@code customize} applied to the ProxySQL before it is created. */
    static ProxySqlPods deploy(KubernetesClient client, TestNamespace ns, LocalMariaDb mariadb, LocalProxySql fleet, int replicas,
                               int capacity, Map<String, String> versionByImage, String version,
                               java.util.function.Consumer<ProxySQL> customize) throws Exception {
        client.secrets().inNamespace(ns.name()).resource(new SecretBuilder().withNewMetadata().withName("mariadb-auth").endMetadata()
                .withType("kubernetes.io/basic-auth").withStringData(Map.of("username", ADMIN, "password", ADMIN_PASSWORD)).build()).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: appcatalog.appscode.com/v1alpha1
                kind: AppBinding
                metadata: {name: %s, namespace: %s}
                spec:
                  type: example.com/standalone-server   # names no MySQL flavour: a single server, no role detection
                  version: "10.11.2-MariaDB"   # ProxySQL announces it: a MariaDB client then sends nothing only MySQL knows
                  clientConfig: {url: "tcp(%s:%d)/"}
                  secret: {name: mariadb-auth}
                """.formatted(OperatorFixture.BACKEND, ns.name(), LocalMariaDb.HOST, mariadb.port()), AppBinding.class)).create();
        ProxySqlPods pods = new ProxySqlPods(client, ns.name(), "px", capacity, fleet, versionByImage).start();
        ProxySQL px = OpsFixture.proxysql(ns, "px", replicas, "1s");
        px.getSpec().setVersion(version);
        customize.accept(px);
        client.resource(px).create();
        awaitReady(client, "px");
        for (int i = 0; i < replicas; i++) {
            String pod = "px-" + i;
            Await.until(TIMEOUT, "a real ProxySQL for pod " + pod, () -> pods.node(pod), n -> n != null && n.answering());
        }
        return pods;
    }
}
