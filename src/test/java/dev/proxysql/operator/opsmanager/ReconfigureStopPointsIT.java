package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.opsmanager.step.StopPoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OpsStopPointsIT} for Reconfigure, on real ProxySQL: a Reconfigure (a user, a rule, a mysql and an admin
 * variable on 2 nodes) and a Reconfigure that fails at the second node (its process stopped) and rolls the first back
 * are each run once uninterrupted to record their stop points (every write: status, finalizer, pause, each pod's
 * admin-interface write or restore, the ProxySQL's spec, resume); then for each point a new request with values of its
 * own is stopped exactly there (the operator that stopped is closed) and a fresh operator must finish it: Successful
 * with the values in both nodes' runtime and disk and in the spec, or Failed with the previous values back, and the
 * ProxySQL resumed. One ProxySQL serves every case, one request after the other.
 */
@LocalCluster
class ReconfigureStopPointsIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(RealProxySqlDeployment.ADMIN, RealProxySqlDeployment.ADMIN_PASSWORD)
            .withUser("app", "AppPw1234567", "SELECT ON *.*");

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @Test
    void everyStopPointOfAReconfigureAndOfItsRollbackEndsAsAnUninterruptedRun(KubernetesClient client, TestNamespace ns, TestCluster cluster)
            throws Exception {
        OperatorFixture.installCatalogAndPolicies(client);
        RealProxySqlDeployment.installLocalVersions(client);
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        ProxySQLOperator deployer = StopPointRuns.start(cluster, StopPoints.NONE);
        ProxySqlPods pods;
        try {
            pods = RealProxySqlDeployment.deploy(client, ns, "px", 2, ProxySqlBuilds.newest(), PROXYSQL);
        } finally {
            deployer.close();
        }
        try (pods) {
            // Forward: record, then stop at each point.
            List<String> points = record(client, ns, cluster, "r-clean", 0, "1m");
            assertValues(client, pods, 0);
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                int value = i + 1;
                String outcome = stopAndFinish(client, ns, cluster, "r" + value, value, "1m", points.get(i));
                if (!outcome.equals(OpsRequestPhase.SUCCESSFUL.name())) {
                    failures.add(points.get(i) + ": ended " + outcome);
                    continue;
                }
                try {
                    assertValues(client, pods, value);
                } catch (AssertionError e) {
                    failures.add(points.get(i) + ": " + e.getMessage());
                }
            }
            // Rollback: px-1 does not answer, so the request fails there and puts px-0 back.
            int kept = points.size();
            pods.node("px-1").stop();
            List<String> rollbackPoints = record(client, ns, cluster, "rb-clean", 1000, "3s");
            assertPrevious(client, pods, kept);
            for (int i = 0; i < rollbackPoints.size(); i++) {
                String outcome = stopAndFinish(client, ns, cluster, "rb" + i, 1001 + i, "3s", rollbackPoints.get(i));
                if (!outcome.equals(OpsRequestPhase.FAILED.name())) {
                    failures.add("rollback " + rollbackPoints.get(i) + ": ended " + outcome);
                    continue;
                }
                try {
                    assertPrevious(client, pods, kept);
                } catch (AssertionError e) {
                    failures.add("rollback " + rollbackPoints.get(i) + ": " + e.getMessage());
                }
            }
            System.err.printf("[reconfigure-stop-points] %d forward points %s; %d rollback points %s%n", points.size(), points,
                    rollbackPoints.size(), rollbackPoints);
            assertThat(failures).as("runs stopped at a point that did not end as the uninterrupted run").isEmpty();
            assertThat(points).as("the forward points include each pod's write").contains("after ReconfiguringPods: reconfigure px-0",
                    "after ReconfiguringPods: reconfigure px-1");
            assertThat(rollbackPoints).contains("after RollingBackReconfigure: restore px-0");
        }
    }

    /** An uninterrupted run of the request with {@code value}; returns its points after a write, in order. */
    private static List<String> record(KubernetesClient client, TestNamespace ns, TestCluster cluster, String name, int value, String timeout) {
        return StopPointRuns.record(client, cluster, request(ns, name, value, timeout));
    }

    /** Stops request {@code name} at {@code point} with one operator, finishes it with a fresh one; returns its phase. */
    private static String stopAndFinish(KubernetesClient client, TestNamespace ns, TestCluster cluster, String name, int value, String timeout,
                                        String point) {
        return StopPointRuns.stopAndFinish(client, cluster, () -> request(ns, name, value, timeout), point);
    }

    private static ProxySQLOpsRequest request(TestNamespace ns, String name, int value, String timeout) {
        return OpsFixture.reconfigure(ns, name, "px", """
                mysqlUsers:
                  reqType: add
                  users: [{username: app, default_hostgroup: 2, max_connections: %1$d}]
                mysqlQueryRules:
                  reqType: add
                  rules: [{rule_id: 500, active: 1, match_digest: "^SELECT", destination_hostgroup: 2, comment: "case-%4$d"}]
                mysqlVariables: {max_connections: %2$d}
                adminVariables: {refresh_interval: %3$d}
                """.formatted(value + 1, 3000 + value, 2000 + value, value), timeout);
    }

    private static void assertValues(KubernetesClient client, ProxySqlPods pods, int value) throws SQLException {
        for (String pod : List.of("px-0", "px-1")) {
            assertOn(pods, pod, value);
        }
        var inline = client.resources(ProxySQL.class).withName("px").get().getSpec().getConfiguration().getInit().getInline();
        assertThat(inline.getMysqlVariables()).containsEntry("max_connections", 3000 + value);
        assertThat(inline.getAdminVariables()).containsEntry("refresh_interval", 2000 + value);
        assertThat(inline.getMysqlQueryRules().get(0)).containsEntry("comment", "case-" + value);
        assertThat(inline.getMysqlUsers().get(0).getMaxConnections()).isEqualTo(value + 1);
    }

    /** After a rolled-back request: px-0 has the values of the last successful case again, and so has the spec. */
    private static void assertPrevious(KubernetesClient client, ProxySqlPods pods, int value) throws SQLException {
        assertOn(pods, "px-0", value);
        assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getConfiguration().getInit().getInline()
                .getMysqlVariables()).containsEntry("max_connections", 3000 + value);
    }

    private static void assertOn(ProxySqlPods pods, String pod, int value) throws SQLException {
        try (AdminSession admin = pods.node(pod).session()) {
            for (String prefix : List.of("runtime_", "disk.")) {
                assertThat(admin.value("SELECT variable_value FROM " + prefix + "global_variables WHERE variable_name = 'mysql-max_connections'"))
                        .as("%s max_connections on %s", prefix, pod).isEqualTo(String.valueOf(3000 + value));
                assertThat(admin.value("SELECT variable_value FROM " + prefix + "global_variables WHERE variable_name = 'admin-refresh_interval'"))
                        .as("%s refresh_interval on %s", prefix, pod).isEqualTo(String.valueOf(2000 + value));
                assertThat(admin.value("SELECT comment FROM " + prefix + "mysql_query_rules WHERE rule_id = 500"))
                        .as("%s rule 500 on %s", prefix, pod).isEqualTo("case-" + value);
                assertThat(admin.value("SELECT max_connections FROM " + prefix + "mysql_users WHERE username = 'app'"))
                        .as("%s user app on %s", prefix, pod).isEqualTo(String.valueOf(value + 1));
            }
        }
    }
}
