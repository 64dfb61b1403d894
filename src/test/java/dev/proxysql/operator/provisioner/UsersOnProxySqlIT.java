package dev.proxysql.operator.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.provisioner.status.ConditionTypes;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.topology.PauseProtocol;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalBackendBinding;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Users in real ProxySQL, put there by the provisioner with the hashes of a real MariaDB: declared users (current and
 * deprecated spec shapes, inline and in the init Secret), {@code syncUsers: true} following the backend, and the
 * configuration surviving a restart with the datadir, a pod recreated empty and a new replica. Every pod of the local
 * cluster runs a real {@code proxysql} ({@link ProxySqlPods}); a user counts as there when an application logs in
 * through that ProxySQL (port 6033) with the backend password and reaches MariaDB.
 */
@LocalCluster
class UsersOnProxySqlIT {
    private static final String ADMIN = "kubedb_root";
    private static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    /** The sync's documented bound, plus room for a loaded machine. */
    private static final Duration SYNC_BOUND = UserSync.INTERVAL.plusSeconds(30);

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(ADMIN, ADMIN_PASSWORD);

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(client -> OperatorFixture.startOnLocalProxySql(client, false),
            LocalBackendBinding::installVersions);

    @Test
    void declaredUsersGetTheBackendsHashOnEveryPodAMissingOneIsReportedAndNothingMovesWhilePaused(KubernetesClient client, TestNamespace ns) throws Exception {
        MARIADB.execute("CREATE OR REPLACE USER 'shop'@'%' IDENTIFIED BY 'ShopPw123'",
                "CREATE OR REPLACE USER 'reporter'@'%' IDENTIFIED BY 'ReportPw123'", "DROP USER IF EXISTS 'ghost'@'%'");
        client.secrets().inNamespace(ns.name()).resource(new SecretBuilder().withNewMetadata().withName("px-init").endMetadata()
                .withStringData(Map.of("MySQLUsers.cnf", "mysql_users=({ username=\"reporter\", max_connections=7 })")).build()).create();
        try (ProxySqlPods pods = deploy(client, ns, ProxySqlBuilds.oldest(), 2, 2, """
                configuration:
                  init:
                    secretName: px-init
                    inline:
                      mysqlUsers:
                      - {username: shop, default_hostgroup: 2, max_connections: 50}
                      - {username: ghost}
                """)) {
            Condition missing = awaitCondition(client, c -> "UserNotFoundOnBackend".equals(c.getReason()), TIMEOUT);
            assertThat(missing.getStatus()).isEqualTo("False");
            assertThat(missing.getMessage()).contains("spec.configuration.init.inline.mysqlUsers[1]: user 'ghost' does not exist on backend");
            assertThat(events(client, "UserNotFoundOnBackend")).anySatisfy(e -> assertThat(e.getMessage()).contains("'ghost'"));
            for (String pod : List.of("px-0", "px-1")) {
                Map<String, Map<String, String>> users = awaitUsers(pods, pod, u -> u.containsKey("shop") && u.containsKey("reporter"));
                assertThat(users).doesNotContainKey("ghost");
                assertThat(users.get("shop")).containsEntry("password_hex", backendHash("shop"))
                        .containsEntry("default_hostgroup", "2").containsEntry("max_connections", "50");
                assertThat(users.get("reporter")).containsEntry("password_hex", backendHash("reporter"))
                        .containsEntry("max_connections", "7");
                assertThat(loginThrough(pods.node(pod), "shop", "ShopPw123")).isEqualTo("shop@%");
                assertThat(loginThrough(pods.node(pod), "reporter", "ReportPw123")).isEqualTo("reporter@%");
            }
            assertThat(client.resources(ProxySQL.class).withName("px").get().getStatus().getPhase())
                    .as("a missing user does not enter the phase").isEqualTo(DatabasePhase.READY);

            MARIADB.execute("CREATE USER 'ghost'@'%' IDENTIFIED BY 'GhostPw123'");
            Condition synced = awaitCondition(client, c -> "True".equals(c.getStatus()), SYNC_BOUND);
            assertThat(synced.getReason()).isEqualTo("UsersSynced");
            assertThat(loginThrough(awaitNode(pods, "px-1"), "ghost", "GhostPw123")).isEqualTo("ghost@%");

            // Paused (as by an ops request): a backend change is not followed until the pause ends.
            ProvisionerIT.setPaused(client, ns, "px", true);
            Await.until(TIMEOUT, "the provisioner's pause acknowledgement", () -> client.resources(ProxySQL.class).withName("px").get(),
                    p -> Conditions.isTrue(p.getStatus().getConditions(), PauseProtocol.PROVISIONER_PAUSED));
            String before = backendHash("shop");
            MARIADB.execute("ALTER USER 'shop'@'%' IDENTIFIED BY 'ShopNewPw456'");
            Await.holds(SYNC_BOUND, "shop's old hash on px-0 while paused",
                    () -> before.equals(users(pods.node("px-0")).getOrDefault("shop", Map.of()).get("password_hex")));
            ProvisionerIT.setPaused(client, ns, "px", false);
            String after = backendHash("shop");
            awaitUsers(pods, "px-0", SYNC_BOUND, u -> u.containsKey("shop") && after.equals(u.get("shop").get("password_hex")));
            assertThat(loginThrough(pods.node("px-0"), "shop", "ShopNewPw456")).isEqualTo("shop@%");
        } finally {
            MARIADB.execute("DROP USER IF EXISTS 'shop'@'%'", "DROP USER IF EXISTS 'reporter'@'%'", "DROP USER IF EXISTS 'ghost'@'%'");
        }
    }

    @Test
    void syncUsersFollowsTheBackendAndNeverTakesSystemOrCollidingUsers(KubernetesClient client, TestNamespace ns) throws Exception {
        MARIADB.execute("CREATE OR REPLACE USER 'alice'@'%' IDENTIFIED BY 'AlicePw123'",
                "CREATE OR REPLACE USER 'bob'@'%' IDENTIFIED BY 'BobPw12345'",
                "CREATE OR REPLACE USER 'keeper'@'%' IDENTIFIED BY 'KeeperPw123'",
                "DROP USER IF EXISTS 'carol'@'%'",
                "CREATE OR REPLACE USER 'repl'@'%' IDENTIFIED BY 'ReplPw12345'", "GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%'",
                "CREATE OR REPLACE ROLE 'approle'",
                "CREATE OR REPLACE USER 'nopassword'@'%'",
                "CREATE OR REPLACE USER 'localonly'@'localhost' IDENTIFIED BY 'LocalPw123'",
                "CREATE OR REPLACE USER 'cluster'@'%' IDENTIFIED BY 'ClusterPw123'");
        try (ProxySqlPods pods = deploy(client, ns, ProxySqlBuilds.newest(), 2, 2, """
                syncUsers: true
                configuration:
                  init:
                    inline:
                      mysqlUsers:
                      - {username: keeper}
                """)) {
            Condition collision = awaitCondition(client, c -> "UserNameCollision".equals(c.getReason()), TIMEOUT);
            assertThat(collision.getMessage()).contains("backend user 'cluster' has the name of ProxySQL's cluster user");
            assertThat(events(client, "UserNameCollision")).anySatisfy(e -> assertThat(e.getMessage()).contains("'cluster'"));
            for (String pod : List.of("px-0", "px-1")) {
                Map<String, Map<String, String>> users = awaitUsers(pods, pod, u -> u.keySet().containsAll(Set.of("alice", "bob", "keeper")));
                assertThat(users.keySet()).as("only application users, never system, monitor, replication, role, password-less,"
                        + " local-only or colliding ones").containsExactlyInAnyOrder("alice", "bob", "keeper");
                assertThat(users.get("alice").get("comment")).isEqualTo(UserPlan.SYNC_COMMENT);
                assertThat(users.get("keeper").get("comment")).as("a declared user is not marked as synced").isEmpty();
                assertThat(loginThrough(pods.node(pod), "alice", "AlicePw123")).isEqualTo("alice@%");
                try (AdminSession admin = pods.node(pod).session()) {
                    assertThat(admin.value("SELECT 1")).as("the cluster admin still logs in").isEqualTo("1");
                }
            }

            MARIADB.execute("ALTER USER 'alice'@'%' IDENTIFIED BY 'AliceNewPw456'", "CREATE USER 'carol'@'%' IDENTIFIED BY 'CarolPw123'",
                    "DROP USER 'bob'@'%'", "DROP USER 'keeper'@'%'");
            String aliceHash = backendHash("alice");
            for (String pod : List.of("px-0", "px-1")) {
                Map<String, Map<String, String>> users = awaitUsers(pods, pod, SYNC_BOUND,
                        u -> u.containsKey("carol") && !u.containsKey("bob") && aliceHash.equals(u.get("alice").get("password_hex")));
                assertThat(users).as("a declared user is never removed by the sync").containsKey("keeper");
                assertThat(loginThrough(pods.node(pod), "alice", "AliceNewPw456")).isEqualTo("alice@%");
                assertThat(loginThrough(pods.node(pod), "carol", "CarolPw123")).isEqualTo("carol@%");
            }
            Condition keeperGone = awaitCondition(client, c -> c.getMessage().contains("user 'keeper' does not exist"), SYNC_BOUND);
            assertThat(keeperGone.getStatus()).isEqualTo("False");
        } finally {
            MARIADB.execute("DROP USER IF EXISTS 'alice'@'%'", "DROP USER IF EXISTS 'bob'@'%'", "DROP USER IF EXISTS 'carol'@'%'",
                    "DROP USER IF EXISTS 'keeper'@'%'", "DROP USER IF EXISTS 'cluster'@'%'", "DROP USER IF EXISTS 'repl'@'%'", "DROP ROLE IF EXISTS 'approle'",
                    "DROP USER IF EXISTS 'nopassword'@'%'", "DROP USER IF EXISTS 'localonly'@'localhost'");
        }
    }

    /**
     * Where the truth lives: query rules and variables in the config Secret (proxysql.cnf, which ProxySQL reads when its
     * datadir is empty), users' hashes on the backend (put in by the provisioner and saved to disk). A pod restarted with
     * its datadir keeps everything from proxysql.db at once; a pod recreated empty and a new replica read proxysql.cnf
     * and get the users from the provisioner. Written in the deprecated spec shape (spec.initConfig).
     */
    @Test
    void theConfigurationSurvivesARestartARecreatedPodAndANewReplica(KubernetesClient client, TestNamespace ns) throws Exception {
        MARIADB.execute("CREATE OR REPLACE USER 'shop'@'%' IDENTIFIED BY 'ShopPw123'");
        try (ProxySqlPods pods = deploy(client, ns, ProxySqlBuilds.oldest(), 1, 2, """
                initConfig:
                  mysqlUsers:
                  - {username: shop, max_connections: 40}
                  mysqlQueryRules:
                  - {rule_id: 10, active: 1, match_digest: "^SELECT .* FOR UPDATE$", destination_hostgroup: 2, apply: 1}
                  mysqlVariables: {max_connections: 1234}
                  adminVariables: {refresh_interval: 2500}
                """)) {
            assertDescribed(pods, "px-0", TIMEOUT, "after provisioning");

            ProxySqlNode restarted = pods.node("px-0");
            restarted.stop();
            restarted.start();
            assertDescribed(pods, "px-0", Duration.ZERO, "restarted with its datadir, before any resync");

            String oldUid = client.pods().withName("px-0").get().getMetadata().getUid();
            client.pods().withName("px-0").delete();
            Await.until(TIMEOUT, "pod px-0 recreated with a fresh ProxySQL", () -> pods.node("px-0"),
                    n -> n != null && n != restarted && n.answering());
            assertThat(client.pods().withName("px-0").get().getMetadata().getUid()).isNotEqualTo(oldUid);
            assertDescribed(pods, "px-0", SYNC_BOUND, "recreated with an empty datadir");

            client.resources(ProxySQL.class).withName("px").edit(p -> {
                p.getSpec().setReplicas(2);
                return p;
            });
            awaitNode(pods, "px-1");
            assertDescribed(pods, "px-1", SYNC_BOUND, "a new replica");
        } finally {
            MARIADB.execute("DROP USER IF EXISTS 'shop'@'%'");
        }
    }

    /** Users, query rules and variables of the pod's runtime are those the ProxySQL describes (at once if {@code within} is zero). */
    private static void assertDescribed(ProxySqlPods pods, String pod, Duration within, String when) throws Exception {
        String shop = backendHash("shop");
        Map<String, Map<String, String>> users = within.isZero() ? users(pods.node(pod))
                : awaitUsers(pods, pod, within, u -> u.containsKey("shop"));
        assertThat(users).as("%s: users of %s", when, pod).containsOnlyKeys("shop");
        assertThat(users.get("shop")).as(when).containsEntry("password_hex", shop).containsEntry("max_connections", "40");
        try (AdminSession admin = pods.node(pod).session()) {
            assertThat(admin.rows("SELECT rule_id, match_digest, destination_hostgroup FROM runtime_mysql_query_rules"))
                    .as("%s: query rules of %s", when, pod)
                    .containsExactly(Map.of("rule_id", "10", "match_digest", "^SELECT .* FOR UPDATE$", "destination_hostgroup", "2"));
            assertThat(admin.value("SELECT variable_value FROM runtime_global_variables WHERE variable_name = 'mysql-max_connections'"))
                    .as(when).isEqualTo("1234");
            assertThat(admin.value("SELECT variable_value FROM runtime_global_variables WHERE variable_name = 'admin-refresh_interval'"))
                    .as(when).isEqualTo("2500");
        }
        assertThat(loginThrough(pods.node(pod), "shop", "ShopPw123")).as(when).isEqualTo("shop@%");
    }

    // ------------------------------------------------------------------------------------------------------------------

    /** A ProxySQL {@code px} on {@code build} with {@code spec} (YAML under spec), pods for up to {@code capacity} replicas. */
    private static ProxySqlPods deploy(KubernetesClient client, TestNamespace ns, String build, int replicas, int capacity, String spec)
            throws Exception {
        LocalBackendBinding.bind(client, ns.name(), MARIADB, ADMIN, ADMIN_PASSWORD);
        ProxySqlPods pods = new ProxySqlPods(client, ns.name(), "px", capacity, PROXYSQL, LocalBackendBinding.images()).start();
        client.resource(Serialization.unmarshal("""
                apiVersion: kubedb.com/v1
                kind: ProxySQL
                metadata: {name: px, namespace: %s}
                spec:
                  version: %s
                  replicas: %d
                  backend: {name: mysql-server}
                  deletionPolicy: Delete
                  podTemplate:
                    metadata:
                      annotations: {"kwok.proxysql.dev/ready-delay": "1s"}
                %s""".formatted(ns.name(), LocalBackendBinding.version(build), replicas, spec.indent(2)), ProxySQL.class)).create();
        for (int i = 0; i < replicas; i++) {
            awaitNode(pods, "px-" + i);
        }
        return pods;
    }

    private static ProxySqlNode awaitNode(ProxySqlPods pods, String pod) {
        return Await.until(TIMEOUT, "a running ProxySQL for pod " + pod, () -> pods.node(pod), n -> n != null && n.answering());
    }

    private static Map<String, Map<String, String>> awaitUsers(ProxySqlPods pods, String pod,
                                                               java.util.function.Predicate<Map<String, Map<String, String>>> accept) {
        return awaitUsers(pods, pod, TIMEOUT, accept);
    }

    private static Map<String, Map<String, String>> awaitUsers(ProxySqlPods pods, String pod, Duration timeout,
                                                               java.util.function.Predicate<Map<String, Map<String, String>>> accept) {
        return Await.until(timeout, "mysql_users of " + pod + " as expected", () -> users(pods.node(pod)), accept);
    }

    /** The node's runtime users (frontend rows) by name, or empty while it does not answer. */
    static Map<String, Map<String, String>> users(ProxySqlNode node) {
        Map<String, Map<String, String>> users = new LinkedHashMap<>();
        if (node == null || !node.running()) {
            return users;
        }
        try (AdminSession admin = node.session()) {
            for (Map<String, String> row : admin.rows("SELECT username, HEX(password) AS password_hex, default_hostgroup,"
                    + " max_connections, comment FROM runtime_mysql_users WHERE frontend = 1")) {
                users.put(row.get("username"), row);
            }
        } catch (SQLException e) {
            return Map.of();
        }
        return users;
    }

    /** HEX(authentication_string) of user@'%' on the backend: what ProxySQL must hold. */
    static String backendHash(String user) throws SQLException {
        try (Connection c = MARIADB.connectAsSetupUser(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT HEX(authentication_string) FROM mysql.user WHERE user = '" + user + "' AND host = '%'")) {
            assertThat(r.next()).as("backend user %s", user).isTrue();
            return r.getString(1);
        }
    }

    /** Logs in through the node's client port and returns the backend's CURRENT_USER(): proof the login reached MariaDB. */
    static String loginThrough(ProxySqlNode node, String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("sslMode", "disable");
        p.setProperty("connectTimeout", "5000");
        p.setProperty("socketTimeout", "10000");
        try (Connection c = new org.mariadb.jdbc.Driver().connect(node.clientUrl(), p); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT CURRENT_USER()")) {
            r.next();
            return r.getString(1);
        }
    }

    private static Condition awaitCondition(KubernetesClient client, java.util.function.Predicate<Condition> accept, Duration timeout) {
        return Await.until(timeout, ConditionTypes.INTERNAL_USERS_SYNCED + " as expected",
                () -> {
                    ProxySQL p = client.resources(ProxySQL.class).withName("px").get();
                    return new Seen(p == null || p.getStatus() == null ? null
                            : Conditions.find(p.getStatus().getConditions(), ConditionTypes.INTERNAL_USERS_SYNCED).orElse(null));
                },
                s -> s.condition() != null && accept.test(s.condition())).condition();
    }

    /** A condition that prints what it says when a wait times out. */
    private record Seen(Condition condition) {
        @Override
        public String toString() {
            return condition == null ? "no condition" : condition.getStatus() + " " + condition.getReason() + ": " + condition.getMessage();
        }
    }

    private static List<Event> events(KubernetesClient client, String reason) {
        return client.v1().events().list().getItems().stream()
                .filter(e -> "px".equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
    }
}
