package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLConfiguration;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLConfigurationSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLInitConfiguration;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.LocalBackendBinding;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A ProxySQL of the local cluster whose pods are real {@code proxysql} processes ({@link ProxySqlPods}) in front of a
 * real MariaDB, on catalog entries {@code <build>-local} for each locally built ProxySQL version: what the Reconfigure
 * tests deploy, with the ProxySQL Cluster's sync of users, rules and variables off.
 */
final class RealProxySqlDeployment {
    static final String ADMIN = "kubedb_root";
    static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private RealProxySqlDeployment() {
    }

    /**
     * The operator in the test JVM with both controllers and the ProxySQL-level check on, reaching each pod at its
     * local process ({@link ProxySqlPods#endpoints()}); {@code install}: the catalog entries the class needs.
     */
    static InProcessOperator operator(java.util.function.Consumer<KubernetesClient> install) {
        return new InProcessOperator(OnProxySqlFixture::checkedOperator, install);
    }

    /** Catalog entries for every local build: {@code 2.6.5-local} runs image {@code local/proxysql:2.6.5}. */
    static void installLocalVersions(KubernetesClient admin) {
        for (String build : ProxySqlBuilds.versions()) {
            OnProxySqlFixture.installVersion(admin, local(build), image(build), null);
        }
    }

    /** The backend Secret and AppBinding for {@code mariadb}, once per namespace. */
    static void createBackend(KubernetesClient client, TestNamespace ns, LocalMariaDb mariadb) {
        LocalBackendBinding.bind(client, ns.name(), mariadb, ADMIN, ADMIN_PASSWORD);
    }

    /** Creates ProxySQL {@code name} on {@code build}, waits until it is Ready and every pod's process answers. */
    static ProxySqlPods deploy(KubernetesClient client, TestNamespace ns, String name, int replicas, String build, LocalProxySql fleet)
            throws Exception {
        return deploy(client, ns, name, replicas, build, fleet, false, p -> { });
    }

    /** {@link #deploy}, with {@code customize} applied to the ProxySQL before it is created. */
    static ProxySqlPods deploy(KubernetesClient client, TestNamespace ns, String name, int replicas, String build, LocalProxySql fleet,
                               java.util.function.Consumer<ProxySQL> customize) throws Exception {
        return deploy(client, ns, name, replicas, build, fleet, false, customize);
    }

    /** {@code clusterSync}: keep the ProxySQL Cluster's sync of every module on, as the provisioner renders it by default. */
    static ProxySqlPods deploy(KubernetesClient client, TestNamespace ns, String name, int replicas, String build, LocalProxySql fleet,
                               boolean clusterSync) throws Exception {
        return deploy(client, ns, name, replicas, build, fleet, clusterSync, p -> { });
    }

    private static ProxySqlPods deploy(KubernetesClient client, TestNamespace ns, String name, int replicas, String build,
                                       LocalProxySql fleet, boolean clusterSync, java.util.function.Consumer<ProxySQL> customize)
            throws Exception {
        Map<String, String> images = new LinkedHashMap<>();
        ProxySqlBuilds.versions().forEach(v -> images.put(image(v), v));
        ProxySqlPods pods = new ProxySqlPods(client, ns.name(), name, replicas, fleet, images).start();
        ProxySQL px = OpsFixture.proxysql(ns, name, replicas, "1s");
        px.getSpec().setVersion(local(build));
        // No ProxySQL Cluster sync of the modules a Reconfigure writes: each node then shows only what the operator wrote
        // on it, so a node it skipped (or did not roll back) cannot be filled in by a peer and hide it.
        ProxySQLConfiguration inline = new ProxySQLConfiguration();
        Map<String, Object> admin = new LinkedHashMap<>();
        for (String module : new String[] {"mysql_users", "mysql_query_rules", "mysql_variables", "admin_variables"}) {
            admin.put("cluster_" + module + "_diffs_before_sync", 0);
        }
        inline.setAdminVariables(admin);
        ProxySQLInitConfiguration init = new ProxySQLInitConfiguration();
        init.setInline(inline);
        ProxySQLConfigurationSpec configuration = new ProxySQLConfigurationSpec();
        configuration.setInit(init);
        if (!clusterSync) {
            px.getSpec().setConfiguration(configuration);
        }
        customize.accept(px);
        client.resource(px).create();
        OpsFixture.awaitReady(client, name);
        for (int i = 0; i < replicas; i++) {
            String pod = name + "-" + i;
            Await.until(TIMEOUT, "a real ProxySQL for pod " + pod, () -> pods.node(pod), n -> n != null && n.answering());
        }
        return pods;
    }

    static String local(String build) {
        return build + "-local";
    }

    static String image(String build) {
        return "local/proxysql:" + build;
    }
}
