package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.opsmanager.step.StopPoints;
import static dev.proxysql.operator.opsmanager.StopPointRuns.start;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminFailureKind;
import dev.proxysql.operator.proxysql.admin.FailureClassifier;
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
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OpsStopPointsIT} for RotateAuth, on real ProxySQL with the Cluster's sync on: a RotateAuth with a generated
 * password, and one that fails because a pod does not answer, are each run once uninterrupted to record their stop
 * points (every write: status, finalizer, pause, the auth Secret, each pod's move to a rotation state, the ProxySQL,
 * resume); then for each point a new request is stopped exactly there and a fresh operator must finish it: Successful
 * with every pod accepting the auth Secret's new pair and refusing the one before, or Failed with the auth Secret and
 * the pods on the pair before. One ProxySQL serves every case, one request after the other.
 */
@LocalCluster
class RotateAuthStopPointsIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final List<String> PODS = List.of("px-0", "px-1");

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(RealProxySqlDeployment.ADMIN, RealProxySqlDeployment.ADMIN_PASSWORD);

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @Test
    void everyStopPointOfARotateAuthAndOfItsRollbackEndsAsAnUninterruptedRun(KubernetesClient client, TestNamespace ns, TestCluster cluster)
            throws Exception {
        OperatorFixture.installCatalogAndPolicies(client);
        RealProxySqlDeployment.installLocalVersions(client);
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        ProxySQLOperator deployer = start(cluster, StopPoints.NONE);
        ProxySqlPods pods;
        try {
            pods = RealProxySqlDeployment.deploy(client, ns, "px", PODS.size(), ProxySqlBuilds.newest(), PROXYSQL, true);
        } finally {
            deployer.close();
        }
        try (pods) {
            AdminCredentials before = auth(client);
            List<String> points = record(client, ns, cluster, "ra-clean", "1m");
            before = assertRotated(client, pods, before, "ra-clean");
            List<String> failures = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                String name = "ra" + i;
                String outcome = stopAndFinish(client, ns, cluster, name, "1m", points.get(i));
                if (!outcome.equals(OpsRequestPhase.SUCCESSFUL.name())) {
                    failures.add(points.get(i) + ": ended " + outcome);
                    before = auth(client);
                    continue;
                }
                try {
                    before = assertRotated(client, pods, before, name);
                } catch (AssertionError e) {
                    failures.add(points.get(i) + ": " + e.getMessage());
                    before = auth(client);
                }
            }
            // Rollback: px-1 does not answer, so the request fails before any pod is written and the Secret is restored.
            pods.node("px-1").stop();
            List<String> rollbackPoints = record(client, ns, cluster, "rb-clean", "3s");
            assertUnchanged(client, pods, before);
            for (int i = 0; i < rollbackPoints.size(); i++) {
                String outcome = stopAndFinish(client, ns, cluster, "rb" + i, "3s", rollbackPoints.get(i));
                if (!outcome.equals(OpsRequestPhase.FAILED.name())) {
                    failures.add("rollback " + rollbackPoints.get(i) + ": ended " + outcome);
                    continue;
                }
                try {
                    assertUnchanged(client, pods, before);
                } catch (AssertionError e) {
                    failures.add("rollback " + rollbackPoints.get(i) + ": " + e.getMessage());
                }
            }
            System.err.printf("[rotate-auth-stop-points] %d forward points %s; %d rollback points %s%n", points.size(), points,
                    rollbackPoints.size(), rollbackPoints);
            assertThat(failures).as("runs stopped at a point that did not end as the uninterrupted run").isEmpty();
            assertThat(points).as("the forward points include the Secret and each pod's moves").contains(
                    "after RotatingAuth: keep the previous pair in px-auth", "after RotatingAuth: rotate px-0 to state 1",
                    "after RotatingAuth: rotate px-0 to state 5");
            // px-1 is often moved by the Cluster's sync of admin variables before the operator gets to it, so which of its
            // moves are points depends on timing; px-0, always the first pod in the lowest state, is always written.
            assertThat(rollbackPoints).contains("after RollingBackAuth: restore px-auth");
        }
    }

    private static List<String> record(KubernetesClient client, TestNamespace ns, TestCluster cluster, String name, String timeout) {
        return StopPointRuns.record(client, cluster, OpsFixture.rotateAuth(ns, name, "px", null, timeout));
    }

    private static String stopAndFinish(KubernetesClient client, TestNamespace ns, TestCluster cluster, String name, String timeout,
                                        String point) {
        return StopPointRuns.stopAndFinish(client, cluster, () -> OpsFixture.rotateAuth(ns, name, "px", null, timeout), point);
    }

    /** Every pod accepts the auth Secret's pair, which is new, and refuses {@code before}; no .prev keys left. Returns the new pair. */
    private static AdminCredentials assertRotated(KubernetesClient client, ProxySqlPods pods, AdminCredentials before, String request)
            throws SQLException {
        AdminCredentials now = auth(client);
        assertThat(now).as("the auth Secret's pair after %s", request).isNotEqualTo(before);
        assertThat(client.secrets().withName("px-auth").get().getData()).doesNotContainKeys("username.prev", "password.prev");
        for (String pod : PODS) {
            try (AdminSession s = AdminSession.open(pods.node(pod).adminEndpoint(), now)) {
                assertThat(s.value("SELECT 1")).isEqualTo("1");
            }
            assertRefused(pods, pod, before);
        }
        return now;
    }

    private static void assertUnchanged(KubernetesClient client, ProxySqlPods pods, AdminCredentials before) throws SQLException {
        assertThat(auth(client)).as("the auth Secret's pair after a failed rotation").isEqualTo(before);
        assertThat(client.secrets().withName("px-auth").get().getData()).doesNotContainKeys("username.prev", "password.prev");
        try (AdminSession s = AdminSession.open(pods.node("px-0").adminEndpoint(), before)) {
            assertThat(s.value("SELECT 1")).isEqualTo("1");
        }
    }

    private static AdminCredentials auth(KubernetesClient client) {
        Secret s = client.secrets().withName("px-auth").get();
        return new AdminCredentials(decode(s, "username"), decode(s, "password"));
    }

    private static String decode(Secret s, String key) {
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static void assertRefused(ProxySqlPods pods, String pod, AdminCredentials pair) {
        try (AdminSession s = AdminSession.open(pods.node(pod).adminEndpoint(), pair)) {
            throw new AssertionError(pod + " still lets the previous pair in");
        } catch (SQLException e) {
            assertThat(FailureClassifier.kindOf(e, FailureClassifier.Phase.CONNECT)).as("%s refuses the previous pair", pod)
                    .isEqualTo(AdminFailureKind.AUTHENTICATION_FAILED);
        }
    }
}
