package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminFailureKind;
import dev.proxysql.operator.proxysql.admin.CredentialRotation;
import dev.proxysql.operator.proxysql.admin.FailureClassifier;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * RotateAuth through the whole operator on real ProxySQL (each pod of the local cluster a real {@code proxysql},
 * {@link ProxySqlPods}), with the ProxySQL Cluster's sync on as rendered by default: afterwards every node accepts the
 * new pair and refuses the old one (and the bridge) on its admin interface, the Cluster still syncs, and a Restart,
 * whose check logs in with the new pair on pods started from the re-rendered config, passes; a node stopped mid-way
 * fails the request and every node, the stopped one once back, ends on the old pair.
 */
@LocalCluster
class RotateAuthOnProxySqlIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final AdminCredentials NEW = new AdminCredentials("cluster", "RotatedPass2026");

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(RealProxySqlDeployment.ADMIN, RealProxySqlDeployment.ADMIN_PASSWORD);

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @RegisterExtension
    static final InProcessOperator OPERATOR = RealProxySqlDeployment.operator(RealProxySqlDeployment::installLocalVersions);

    static Stream<String> builds() {
        return ProxySqlBuilds.versions().stream();
    }

    @ParameterizedTest
    @MethodSource("builds")
    void everyNodeEndsOnTheNewPairAndTheClusterStillSyncs(String build, KubernetesClient client, TestNamespace ns) throws Exception {
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        try (ProxySqlPods pods = RealProxySqlDeployment.deploy(client, ns, "px", 3, build, PROXYSQL, true)) {
            AdminCredentials old = pair(client.secrets().withName("px-auth").get());
            newSecret(client);
            client.resource(OpsFixture.rotateAuth(ns, "rotate", "px", "px-new-auth", "1m")).create();
            ProxySQLOpsRequest done = awaitOps(client, "rotate", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
            assertThat(done.getStatus().getConditions()).extracting(c -> c.getType()).contains("UpdateCredential", "RotateAuth", "Successful");
            for (String pod : List.of("px-0", "px-1", "px-2")) {
                ProxySqlNode node = pods.node(pod);
                try (AdminSession s = AdminSession.open(node.adminEndpoint(), NEW)) {
                    assertThat(s.value("SELECT variable_value FROM runtime_global_variables WHERE variable_name = 'admin-cluster_password'"))
                            .as("cluster password of %s (plain, not a hash)", pod).isEqualTo(NEW.password());
                }
                assertRefused(node, old);
                assertRefused(node, new AdminCredentials(CredentialRotation.BRIDGE_USER, NEW.password()));
            }
            // The ProxySQL Cluster still syncs, on the new pair: a rule loaded on px-0 reaches the others.
            try (AdminSession s = AdminSession.open(pods.node("px-0").adminEndpoint(), NEW)) {
                s.execute("INSERT INTO mysql_query_rules (rule_id, active, match_digest, apply) VALUES (301, 1, '^SELECT rotated', 1)",
                        "LOAD MYSQL QUERY RULES TO RUNTIME");
            }
            for (String pod : List.of("px-1", "px-2")) {
                Await.until(TIMEOUT, "rule 301, loaded on px-0, at runtime on " + pod, () -> rules(pods.node(pod), NEW, 301), n -> n == 1);
            }
            ProxySQL px = client.resources(ProxySQL.class).withName("px").get();
            assertThat(px.getSpec().getAuthSecret().getName()).isEqualTo("px-new-auth");
            assertThat(px.getStatus().getAuthSecret().getLastUpdateTimestamp()).isNotBlank();
            assertThat(client.secrets().withName("px-new-auth").get().getData()).doesNotContainKeys("username.prev", "password.prev");
            assertNotPaused(client, "px");
            // The provisioner renders the new pair for new pods; a Restart's check logs in on them with it.
            Await.until(TIMEOUT, "the config Secret to carry the new pair", () -> cnf(client), c -> c.contains("cluster:" + NEW.password()));
            client.resource(OpsFixture.restart(ns, "restart", "px")).create();
            awaitOps(client, "restart", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
        }
    }

    @ParameterizedTest
    @MethodSource("builds")
    void aNodeStoppedMidwayFailsTheRequestAndEveryNodeGoesBackToTheOldPair(String build, KubernetesClient client, TestNamespace ns)
            throws Exception {
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        try (ProxySqlPods pods = RealProxySqlDeployment.deploy(client, ns, "px", 3, build, PROXYSQL, true)) {
            AdminCredentials old = pair(client.secrets().withName("px-auth").get());
            CredentialRotation plan = new CredentialRotation("admin:admin", old, NEW);
            newSecret(client);
            ProxySqlNode victim = pods.node("px-2");
            // Kill px-2 as soon as px-0 has moved past the bridge's first state: the request is then mid-way. Polled
            // without back-off and killed with SIGKILL: the rotation takes about a second in all, and a node given
            // SIGTERM keeps answering while it shuts down, so a slower stop let the request finish (seen once in CI).
            Thread stopper = new Thread(() -> {
                long deadline = System.nanoTime() + TIMEOUT.toNanos();
                while (state(plan, pods.node("px-0")) < 2) {
                    if (System.nanoTime() > deadline) {
                        throw new AssertionError("px-0 did not reach rotation state 2 within " + TIMEOUT);
                    }
                }
                victim.kill();
            }, "stop-px-2");
            stopper.start();
            client.resource(OpsFixture.rotateAuth(ns, "rotate", "px", "px-new-auth", "15s")).create();
            stopper.join();
            Await.until(TIMEOUT, "the request rolling back", () -> client.resources(ProxySQLOpsRequest.class).withName("rotate").get(),
                    r -> r.getStatus() != null && r.getStatus().getProgress() != null
                            && r.getStatus().getProgress().getStep() == OpsStep.ROLLING_BACK_AUTH);
            victim.start();
            ProxySQLOpsRequest failed = awaitOps(client, "rotate", OpsRequestPhase.FAILED, TIMEOUT);
            assertThat(OpsFixture.message(failed, "Failed")).contains("px-2").contains("rolled back");
            for (String pod : List.of("px-0", "px-1", "px-2")) {
                ProxySqlNode node = pods.node(pod);
                try (AdminSession s = AdminSession.open(node.adminEndpoint(), old)) {
                    assertThat(s.value("SELECT 1")).isEqualTo("1");
                }
                assertRefused(node, NEW);
                assertRefused(node, new AdminCredentials(CredentialRotation.BRIDGE_USER, NEW.password()));
            }
            assertThat(pair(client.secrets().withName("px-auth").get())).isEqualTo(old);
            assertThat(client.secrets().withName("px-new-auth").get().getData()).doesNotContainKeys("username.prev", "password.prev");
            var authSecret = client.resources(ProxySQL.class).withName("px").get().getSpec().getAuthSecret();
            assertThat(authSecret == null ? null : authSecret.getName()).as("spec.authSecret unchanged").isIn(null, "px-auth");
            assertNotPaused(client, "px");
        }
    }

    private static void newSecret(KubernetesClient client) {
        client.secrets().resource(new SecretBuilder().withNewMetadata().withName("px-new-auth").endMetadata()
                .withType("kubernetes.io/basic-auth").withStringData(Map.of("username", NEW.username(), "password", NEW.password())).build())
                .create();
    }

    private static int state(CredentialRotation plan, ProxySqlNode node) {
        for (AdminCredentials pair : plan.candidates()) {
            try (AdminSession s = AdminSession.open(node.adminEndpoint(), pair)) {
                Map<String, String> vars = new java.util.HashMap<>();
                for (Map<String, String> row : s.rows("SELECT variable_name, variable_value FROM runtime_global_variables"
                        + " WHERE variable_name IN ('admin-admin_credentials', 'admin-cluster_username', 'admin-cluster_password')")) {
                    vars.put(row.get("variable_name"), row.get("variable_value"));
                }
                return plan.stateOf(vars);
            } catch (SQLException refused) {
                // next pair
            }
        }
        return -1;
    }

    private static int rules(ProxySqlNode node, AdminCredentials login, int ruleId) {
        try (AdminSession s = AdminSession.open(node.adminEndpoint(), login)) {
            return s.rows("SELECT rule_id FROM runtime_mysql_query_rules WHERE rule_id = " + ruleId).size();
        } catch (SQLException e) {
            return -1;
        }
    }

    private static String cnf(KubernetesClient client) {
        Secret s = client.secrets().withName("px-configuration").get();
        return s == null ? "" : new String(Base64.getDecoder().decode(s.getData().get("proxysql.cnf")), StandardCharsets.UTF_8);
    }

    private static AdminCredentials pair(Secret s) {
        return new AdminCredentials(decode(s, "username"), decode(s, "password"));
    }

    private static String decode(Secret s, String key) {
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static void assertRefused(ProxySqlNode node, AdminCredentials pair) {
        try (AdminSession s = AdminSession.open(node.adminEndpoint(), pair)) {
            throw new AssertionError(node.address() + " let " + pair.username() + " in with a password it should refuse");
        } catch (SQLException e) {
            assertThat(FailureClassifier.kindOf(e, FailureClassifier.Phase.CONNECT)).as("%s refuses %s", node.address(), pair)
                    .isEqualTo(AdminFailureKind.AUTHENTICATION_FAILED);
        }
    }
}
