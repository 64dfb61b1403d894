package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLConfiguration;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
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
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Reconfigure through the whole operator against real ProxySQL (each pod of the local cluster a real {@code proxysql},
 * {@link ProxySqlPods}) and a real MariaDB: users (passwords from the backend's hashes), query rules and variables
 * added, updated and deleted are in every node's runtime and disk tables afterwards and kept in the ProxySQL's spec,
 * which the provisioner renders for a new pod; a request naming an unknown variable or a user the backend lacks fails
 * with nothing changed; a pod that does not answer mid-way fails the request and the pods already changed get their
 * previous values back.
 */
@LocalCluster
class ReconfigureOnProxySqlIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final String APP_PASSWORD = "AppPw1234567";

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
    void usersRulesAndVariablesAreAddedUpdatedAndDeletedOnEveryNode(String build, KubernetesClient client, TestNamespace ns) throws Exception {
        MARIADB.execute("CREATE USER IF NOT EXISTS 'app'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'", "GRANT SELECT ON *.* TO 'app'@'%'");
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        try (ProxySqlPods pods = RealProxySqlDeployment.deploy(client, ns, "px", 3, build, PROXYSQL)) {
            // 1. add: a user (no password: ProxySQL gets the backend's hash), two rules, a mysql and an admin variable.
            client.resource(OpsFixture.reconfigure(ns, "add", "px", """
                    mysqlUsers:
                      reqType: add
                      users:
                      - {username: app, default_hostgroup: 2, max_connections: 50}
                    mysqlQueryRules:
                      reqType: add
                      rules:
                      - {rule_id: 101, active: 1, match_digest: "^SELECT .* FOR UPDATE$", destination_hostgroup: 2, apply: 1}
                      - {rule_id: 102, active: 1, match_digest: "^SELECT", destination_hostgroup: 2, apply: 1, comment: reads}
                    mysqlVariables: {max_connections: 1234}
                    adminVariables: {refresh_interval: 2055}
                    """, "1m")).create();
            ProxySQLOpsRequest added = awaitOps(client, "add", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
            for (String pod : pods(3)) {
                assertThat(message(added, "ReconfigurePod--" + pod)).contains("runtime and disk checked");
                try (AdminSession admin = pods.node(pod).session()) {
                    for (String table : List.of("runtime_mysql_users", "disk.mysql_users")) {
                        assertThat(admin.rows("SELECT password, default_hostgroup, max_connections FROM " + table + " WHERE username = 'app'"))
                                .as("%s on %s", table, pod).isNotEmpty()
                                .allSatisfy(r -> assertThat(r).containsEntry("password", backendHash("app"))
                                        .containsEntry("default_hostgroup", "2").containsEntry("max_connections", "50"));
                    }
                    for (String table : List.of("runtime_mysql_query_rules", "disk.mysql_query_rules")) {
                        assertThat(admin.rows("SELECT rule_id, comment FROM " + table + " WHERE rule_id IN (101, 102) ORDER BY rule_id"))
                                .as("%s on %s", table, pod).extracting(r -> r.get("rule_id")).containsExactly("101", "102");
                    }
                    assertVariable(admin, pod, "mysql-max_connections", "1234");
                    assertVariable(admin, pod, "admin-refresh_interval", "2055");
                }
            }
            // The application logs in through ProxySQL with its backend password: the hash ProxySQL got works.
            try (Connection app = DriverManager.getConnection(pods.node("px-1").clientUrl(), "app", APP_PASSWORD)) {
                assertThat(app.createStatement().executeQuery("SELECT 1").next()).isTrue();
            } catch (SQLException e) {
                throw new AssertionError("app cannot log in through px-1\n" + pods.node("px-1").logTail(), e);
            }
            ProxySQLConfiguration inline = inline(client);
            assertThat(inline.getMysqlUsers()).extracting(u -> u.getUsername()).containsExactly("app");
            assertThat(inline.getMysqlQueryRules()).extracting(r -> r.get("rule_id")).containsExactly(101, 102);
            assertThat(inline.getMysqlVariables()).containsEntry("max_connections", 1234);
            assertThat(inline.getAdminVariables()).containsEntry("refresh_interval", 2055)
                    .as("the ProxySQL's own inline entries are kept").containsEntry("cluster_mysql_users_diffs_before_sync", 0);
            assertNotPaused(client, "px");
            // The provisioner renders the kept configuration after the resume.
            Await.until(TIMEOUT, "the config Secret to render refresh_interval 2055 and rule 102", () -> cnf(client),
                    c -> c.contains("refresh_interval=2055") && c.contains("rule_id=102"));

            // 2. update the user and a rule, delete the other rule, change a variable again.
            client.resource(OpsFixture.reconfigure(ns, "update", "px", """
                    mysqlUsers:
                      reqType: update
                      users:
                      - {username: app, max_connections: 77}
                    mysqlQueryRules:
                      reqType: update
                      rules:
                      - {rule_id: 101, comment: updated, destination_hostgroup: 3}
                    mysqlVariables: {max_connections: 4321}
                    """, "1m")).create();
            awaitOps(client, "update", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
            client.resource(OpsFixture.reconfigure(ns, "delete-rule", "px", """
                    mysqlQueryRules:
                      reqType: delete
                      rules:
                      - {rule_id: 102}
                    """, "1m")).create();
            awaitOps(client, "delete-rule", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
            for (String pod : pods(3)) {
                try (AdminSession admin = pods.node(pod).session()) {
                    for (String prefix : List.of("runtime_", "disk.")) {
                        assertThat(admin.value("SELECT max_connections FROM " + prefix + "mysql_users WHERE username = 'app'")).as(pod).isEqualTo("77");
                        assertThat(admin.rows("SELECT rule_id, comment, destination_hostgroup FROM " + prefix + "mysql_query_rules WHERE rule_id IN (101, 102)"))
                                .as("%smysql_query_rules on %s", prefix, pod)
                                .containsExactly(Map.of("rule_id", "101", "comment", "updated", "destination_hostgroup", "3"));
                    }
                    assertVariable(admin, pod, "mysql-max_connections", "4321");
                }
            }
            inline = inline(client);
            assertThat(inline.getMysqlUsers().get(0).getMaxConnections()).isEqualTo(77);
            assertThat(inline.getMysqlUsers().get(0).getDefaultHostgroup()).as("update keeps the other fields").isEqualTo(2);
            assertThat(inline.getMysqlQueryRules()).hasSize(1).first().satisfies(r -> assertThat(r).containsEntry("comment", "updated")
                    .containsEntry("match_digest", "^SELECT .* FOR UPDATE$"));

            // 3. delete the user.
            client.resource(OpsFixture.reconfigure(ns, "delete-user", "px", """
                    mysqlUsers:
                      reqType: delete
                      users:
                      - {username: app}
                    """, "1m")).create();
            awaitOps(client, "delete-user", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
            for (String pod : pods(3)) {
                try (AdminSession admin = pods.node(pod).session()) {
                    for (String table : List.of("runtime_mysql_users", "disk.mysql_users")) {
                        assertThat(admin.rows("SELECT username FROM " + table + " WHERE username = 'app'")).as("%s on %s", table, pod).isEmpty();
                    }
                }
            }
            assertThat(inline(client).getMysqlUsers()).isNull();

            // 4. A recreated pod (empty datadir) starts from the rendered proxysql.cnf, which now has the result.
            Await.until(TIMEOUT, "the config Secret to render max_connections 4321", () -> cnf(client), c -> c.contains("max_connections=4321"));
            String oldUid = client.pods().withName("px-2").get().getMetadata().getUid();
            client.pods().withName("px-2").delete();
            ProxySqlNode fresh = Await.until(TIMEOUT, "a new process for the recreated pod px-2, answering on its admin port", () -> {
                var pod = client.pods().withName("px-2").get();
                ProxySqlNode n = pod == null || pod.getMetadata().getUid().equals(oldUid) ? null : pods.node("px-2");
                try (AdminSession admin = n == null ? null : n.session()) {
                    return admin != null && "1".equals(admin.value("SELECT 1")) ? n : null;
                } catch (SQLException notYet) {
                    return null;
                }
            }, n -> n != null);
            try (AdminSession admin = fresh.session()) {
                assertThat(admin.value("SELECT variable_value FROM runtime_global_variables WHERE variable_name = 'mysql-max_connections'")).isEqualTo("4321");
                assertThat(admin.value("SELECT variable_value FROM runtime_global_variables WHERE variable_name = 'admin-refresh_interval'")).isEqualTo("2055");
                assertThat(admin.rows("SELECT comment FROM runtime_mysql_query_rules WHERE rule_id = 101")).containsExactly(Map.of("comment", "updated"));
            }
        }
    }

    @Test
    void anUnknownVariableOrAUserMissingOnTheBackendFailsWithNothingChanged(KubernetesClient client, TestNamespace ns) throws Exception {
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        try (ProxySqlPods pods = RealProxySqlDeployment.deploy(client, ns, "px", 2, ProxySqlBuilds.newest(), PROXYSQL)) {
            String before = variable(pods, "px-0", "mysql-max_connections");
            client.resource(OpsFixture.reconfigure(ns, "unknown", "px", """
                    mysqlVariables: {max_connections: 999, no_such_variable: 1}
                    """, "1m")).create();
            ProxySQLOpsRequest failed = awaitOps(client, "unknown", OpsRequestPhase.FAILED, TIMEOUT);
            assertThat(message(failed, "Failed")).contains("spec.configuration.mysqlVariables.no_such_variable: ProxySQL has no variable "
                    + "mysql-no_such_variable").contains("nothing was changed");

            client.resource(OpsFixture.reconfigure(ns, "ghost", "px", """
                    mysqlUsers:
                      reqType: add
                      users: [{username: ghost}]
                    mysqlVariables: {max_connections: 999}
                    """, "1m")).create();
            failed = awaitOps(client, "ghost", OpsRequestPhase.FAILED, TIMEOUT);
            assertThat(message(failed, "Failed")).contains("spec.configuration.mysqlUsers.users: user ghost does not exist on the backend")
                    .contains("nothing was changed");

            client.resource(OpsFixture.reconfigure(ns, "protected", "px", """
                    mysqlVariables: {monitor_password: x, max_connections: 999}
                    adminVariables: {admin-admin_credentials: "a:b"}
                    """, "1m")).create();
            failed = awaitOps(client, "protected", OpsRequestPhase.FAILED, TIMEOUT);
            assertThat(message(failed, "Failed")).contains("spec.configuration.mysqlVariables.monitor_password: mysql-monitor_password is set by the operator")
                    .contains("spec.configuration.adminVariables.admin-admin_credentials: admin-admin_credentials is set by the operator");

            for (String pod : pods(2)) {
                assertThat(variable(pods, pod, "mysql-max_connections")).as(pod).isEqualTo(before);
                try (AdminSession admin = pods.node(pod).session()) {
                    assertThat(admin.rows("SELECT username FROM mysql_users WHERE username = 'ghost'")).isEmpty();
                }
            }
            ProxySQL p = client.resources(ProxySQL.class).withName("px").get();
            assertThat(p.getSpec().getConfiguration().getInit().getInline().getMysqlVariables()).as("the ProxySQL's spec is not changed").isNull();
            assertNotPaused(client, "px");
        }
    }

    @Test
    void aPodThatDoesNotAnswerMidwayFailsTheRequestAndThePodsChangedGetTheirValuesBack(KubernetesClient client, TestNamespace ns) throws Exception {
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        try (ProxySqlPods pods = RealProxySqlDeployment.deploy(client, ns, "px", 3, ProxySqlBuilds.newest(), PROXYSQL)) {
            String before = variable(pods, "px-0", "mysql-max_connections");
            pods.node("px-1").stop();
            client.resource(OpsFixture.reconfigure(ns, "midway", "px", """
                    mysqlQueryRules:
                      reqType: add
                      rules: [{rule_id: 301, active: 1, match_digest: "^SELECT", destination_hostgroup: 2}]
                    mysqlVariables: {max_connections: 777}
                    """, "5s")).create();
            ProxySQLOpsRequest failed = awaitOps(client, "midway", OpsRequestPhase.FAILED, TIMEOUT);
            assertThat(message(failed, "Failed")).contains("step ReconfiguringPods, pod px-1: pod px-1 does not answer")
                    .contains("rolled back: the pods already changed have their previous values again");
            assertThat(message(failed, "ReconfigurePod--px-0")).contains("previous values put back");
            for (String pod : List.of("px-0", "px-2")) {
                // px-0 was written and put back; px-2 was never written (the Cluster's sync is off in these tests).
                try (AdminSession admin = pods.node(pod).session()) {
                    assertVariable(admin, pod, "mysql-max_connections", before);
                    for (String table : List.of("runtime_mysql_query_rules", "disk.mysql_query_rules")) {
                        assertThat(admin.rows("SELECT rule_id FROM " + table + " WHERE rule_id = 301")).as("%s on %s", table, pod).isEmpty();
                    }
                }
            }
            assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getConfiguration().getInit().getInline()
                    .getMysqlVariables()).as("the ProxySQL's spec is not changed").isNull();
            assertNotPaused(client, "px");
        }
    }

    @Test
    void aValueProxySqlDoesNotTakeFailsAtOnceAndIsRolledBack(KubernetesClient client, TestNamespace ns) throws Exception {
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        try (ProxySqlPods pods = RealProxySqlDeployment.deploy(client, ns, "px", 2, ProxySqlBuilds.newest(), PROXYSQL)) {
            String before = variable(pods, "px-0", "mysql-ping_timeout_server");
            client.resource(OpsFixture.reconfigure(ns, "out-of-range", "px", """
                    mysqlVariables: {ping_timeout_server: 5000000000}
                    """, "1m")).create();
            ProxySQLOpsRequest failed = awaitOps(client, "out-of-range", OpsRequestPhase.FAILED, TIMEOUT);
            assertThat(message(failed, "Failed")).contains("pod px-0: ProxySQL did not take the change: runtime: mysql-ping_timeout_server is "
                    + before + ", not 5000000000")
                    // ProxySQL answered the UPDATE and the LOAD with success, and reset the main table too: disk got the old value.
                    .contains("disk: mysql-ping_timeout_server is " + before + ", not 5000000000").contains("spec.configuration.mysqlVariables.ping_timeout_server").contains("rolled back");
            for (String pod : pods(2)) {
                try (AdminSession admin = pods.node(pod).session()) {
                    assertVariable(admin, pod, "mysql-ping_timeout_server", before);
                }
            }
        }
    }

    private static void assertVariable(AdminSession admin, String pod, String name, String value) throws SQLException {
        for (String table : List.of("runtime_global_variables", "disk.global_variables")) {
            assertThat(admin.value("SELECT variable_value FROM " + table + " WHERE variable_name = '" + name + "'"))
                    .as("%s in %s on %s", name, table, pod).isEqualTo(value);
        }
    }

    private static String variable(ProxySqlPods pods, String pod, String name) throws SQLException {
        try (AdminSession admin = pods.node(pod).session()) {
            return admin.value("SELECT variable_value FROM runtime_global_variables WHERE variable_name = '" + name + "'");
        }
    }

    private static String backendHash(String user) throws SQLException {
        try (Connection c = MARIADB.connectAsSetupUser();
             var rs = c.createStatement().executeQuery("SELECT authentication_string FROM mysql.user WHERE User = '" + user + "'")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static ProxySQLConfiguration inline(KubernetesClient client) {
        return client.resources(ProxySQL.class).withName("px").get().getSpec().getConfiguration().getInit().getInline();
    }

    private static String cnf(KubernetesClient client) {
        var s = client.secrets().withName("px-configuration").get();
        return new String(Base64.getDecoder().decode(s.getData().get("proxysql.cnf")), StandardCharsets.UTF_8);
    }

    private static List<String> pods(int replicas) {
        return Stream.iterate(0, i -> i + 1).limit(replicas).map(i -> "px-" + i).toList();
    }
}
