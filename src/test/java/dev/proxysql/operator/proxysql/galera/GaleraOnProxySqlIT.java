package dev.proxysql.operator.proxysql.galera;

import static dev.proxysql.operator.testing.galera.GaleraProxySql.BACKUP_WRITER;
import static dev.proxysql.operator.testing.galera.GaleraProxySql.OFFLINE;
import static dev.proxysql.operator.testing.galera.GaleraProxySql.READER;
import static dev.proxysql.operator.testing.galera.GaleraProxySql.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.InitSecret;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.galera.GaleraNode;
import dev.proxysql.operator.testing.galera.GaleraProxySql;
import dev.proxysql.operator.testing.galera.LocalGalera;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.TestConfigs;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real ProxySQL (a 3-node ProxySQL Cluster, each version) in front of a real 3-node MariaDB Galera cluster, configured
 * by the provisioner's renderer for a {@code kubedb.com/mariadb} AppBinding, with the monitor user the operator creates:
 * writes go to one writer that every ProxySQL node agrees on, reads follow the rendered query rules to the readers, a
 * node that is desynced, rejects queries or is down leaves the reader set and serves again when healthy.
 *
 * <p>One Galera cluster for the class; every test leaves it with three Synced members.
 */
class GaleraOnProxySqlIT {

    private static final String ADMIN = "kubedb_root";
    private static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final String APP_USER = "shop";
    private static final String APP_PASSWORD = "Shop-Pw-0042";
    private static final Credentials MONITOR = new Credentials("proxysql", "MonitorPw000000000042");
    private static final Duration ROUTING_DEADLINE = Duration.ofSeconds(60);
    /** Reads through ProxySQL per sample: with three equal readers all of them land on one node with odds 3 / 3^30. */
    private static final int READS = 30;
    /**
     * The node a statement runs on, without {@code @@}: ProxySQL turns multiplexing off for a session whose query reads
     * an {@code @@} variable not in {@code mysql-keep_multiplexing_variables} (lib/mysql_connection.cpp), and then
     * keeps its backend connection, so every later read of that client would go to the same node.
     */
    private static final String NODE = "(SELECT VARIABLE_VALUE FROM information_schema.GLOBAL_VARIABLES"
            + " WHERE VARIABLE_NAME = 'WSREP_NODE_ADDRESS')";

    @RegisterExtension
    static final LocalGalera GALERA = new LocalGalera().withAdmin(ADMIN, ADMIN_PASSWORD)
            .withInitStatement("CREATE DATABASE IF NOT EXISTS shop")
            .withInitStatement("CREATE TABLE IF NOT EXISTS shop.writes (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                    + " proxy VARCHAR(64), node VARCHAR(64))")
            .withUser(APP_USER, APP_PASSWORD, "ALL PRIVILEGES ON shop.*");

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    /** KubeDB's read/write split: locking reads to the writer hostgroup, other reads to the readers. */
    static final List<Map<String, Object>> RULES = List.of(
            Map.of("rule_id", 1, "active", 1, "match_digest", "^SELECT .* FOR UPDATE$", "destination_hostgroup", WRITER, "apply", 1),
            Map.of("rule_id", 2, "active", 1, "match_digest", "^SELECT", "destination_hostgroup", READER, "apply", 1));

    @BeforeAll
    static void theOperatorCreatesTheMonitorUser() {
        GaleraProxySql.createMonitorUser(GALERA, new Credentials(ADMIN, ADMIN_PASSWORD), MONITOR);
    }

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void writesReachOneWriterThatEveryProxySqlNodeAgreesOn(String version) throws Exception {
        List<ProxySqlNode> proxies = startProxies(version, MONITOR);
        String writer = awaitAgreedWriter(proxies);
        Set<String> all = addresses(GALERA.nodes());
        for (ProxySqlNode proxy : proxies) {
            assertThat(GaleraProxySql.online(proxy, READER)).as("readers of ProxySQL %s (the writer is also a reader)", proxy.address())
                    .isEqualTo(all);
            Set<String> others = new TreeSet<>(all);
            others.remove(writer);
            assertThat(GaleraProxySql.online(proxy, BACKUP_WRITER)).as("backup writers of ProxySQL %s", proxy.address())
                    .isEqualTo(others);
        }

        // Each write records the node that ran it (with ROW binlogs the value is taken where the statement ran).
        String tag = "w-" + version;
        for (ProxySqlNode proxy : proxies) {
            try (Connection app = client(proxy); Statement sql = app.createStatement()) {
                for (int i = 0; i < 10; i++) {
                    sql.executeUpdate("INSERT INTO shop.writes (proxy, node) SELECT '" + tag + "', " + NODE);
                }
            }
        }
        assertThat(writtenOn(tag)).as("the nodes that ran the writes through the three ProxySQL nodes")
                .containsExactly(writer);

        try (Connection app = client(proxies.get(0))) {
            List<String> locking = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                locking.add(value(app, "SELECT " + NODE + ", id FROM shop.writes ORDER BY id LIMIT 1 FOR UPDATE"));
            }
            assertThat(new HashSet<>(locking)).as("SELECT ... FOR UPDATE (rule 1, writer hostgroup)").containsExactly(writer);
            assertThat(readsReach(app)).as("plain SELECTs (rule 2, reader hostgroup) are spread over the readers")
                    .hasSizeGreaterThan(1).isSubsetOf(all);
        }
    }

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void aDesyncedOrRejectingNodeLeavesTheReadersAndComesBackWhenHealthy(String version) throws Exception {
        List<ProxySqlNode> proxies = startProxies(version, MONITOR);
        String writer = awaitAgreedWriter(proxies);
        GaleraNode node = aNodeOtherThan(writer);

        node.desync(true);
        try {
            awaitOffline(proxies, node, "wsrep_desync=ON");
            assertThat(galeraLogColumn(proxies.get(0), node, "wsrep_desync")).isEqualTo("YES");
            assertReadsAvoid(proxies.get(0), node);
        } finally {
            node.desync(false);
        }
        awaitReader(proxies, node, "wsrep_desync back OFF");

        node.rejectQueries("ALL");
        try {
            awaitOffline(proxies, node, "wsrep_reject_queries=ALL");
            assertThat(galeraLogColumn(proxies.get(0), node, "wsrep_reject_queries")).isEqualTo("YES");
            assertReadsAvoid(proxies.get(0), node);
        } finally {
            node.rejectQueries("NONE");
        }
        awaitReader(proxies, node, "wsrep_reject_queries back to NONE");
        try (Connection app = client(proxies.get(0))) {
            assertThat(readsReach(app)).as("reads after both came back").contains(node.address());
        }
        assertThat(GaleraProxySql.agreedWriter(proxies)).as("the writer stayed where it was").isEqualTo(writer);
    }

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void aNodeThatRejoinsAfterARestartServesReadsAgain(String version) throws Exception {
        List<ProxySqlNode> proxies = startProxies(version, MONITOR);
        String writer = awaitAgreedWriter(proxies);
        GaleraNode node = aNodeOtherThan(writer);

        node.kill();
        try {
            Await.until(ROUTING_DEADLINE, node + " (SIGKILLed) to leave the readers of every ProxySQL node",
                    () -> proxies.stream().noneMatch(p -> GaleraProxySql.online(p, READER).contains(node.address())),
                    Boolean.TRUE::equals);
            assertReadsAvoid(proxies.get(0), node);
        } finally {
            GALERA.restart(node);
        }
        awaitReader(proxies, node, "it rejoined, Synced");
        try (Connection app = client(proxies.get(0))) {
            assertThat(readsReach(app)).as("reads after the restart").contains(node.address());
        }
        assertThat(GaleraProxySql.agreedWriter(proxies)).as("the writer stayed where it was").isEqualTo(writer);
    }

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void theOperatorsMonitorUserPassesEveryGaleraCheck(String version) throws Exception {
        ProxySqlNode proxy = startProxies(version, MONITOR).get(0);
        Await.until(ROUTING_DEADLINE, "a Galera check of every node without error, each node Synced (state 4)",
                () -> latestGaleraChecks(proxy), checks -> checks.size() == 3 && checks.values().stream()
                        .allMatch(c -> c.get("error") == null && "4".equals(c.get("wsrep_local_state"))));
        assertThat(GaleraProxySql.online(proxy, WRITER)).hasSize(1);
        try (Connection c = GALERA.node(2).connectAsSetupUser()) {
            // The user was created through node 1; Galera replicated it (and its grants) to the others.
            assertThat(grants(c, MONITOR.username())).as("the monitor's grants, as the operator gave them on node 1")
                    .containsExactly("GRANT SELECT ON `performance_schema`.* TO `proxysql`@`%`");
        }
    }

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void aMonitorLoginTheClusterRefusesIsTheErrorOfEveryGaleraCheck(String version) throws Exception {
        Credentials unknown = new Credentials("proxysql_0badc0de", "NotOnTheBackend0042");
        ProxySqlNode proxy = startProxies(version, unknown).get(0);
        Await.until(ROUTING_DEADLINE, "the refused login in the Galera check of every node",
                () -> latestGaleraChecks(proxy), c -> c.size() == 3 && c.values().stream()
                        .allMatch(row -> row.get("error") != null && row.get("error").contains("Access denied for user 'proxysql_0badc0de'")));
        try (AdminSession admin = proxy.session()) {
            assertThat(admin.rows("SELECT connect_error FROM monitor.mysql_server_connect_log WHERE connect_error IS NOT NULL"))
                    .as("the connect check says the same").isNotEmpty()
                    .allSatisfy(r -> assertThat(r.get("connect_error")).contains("Access denied"));
        }
        // Where ProxySQL leaves the nodes then (every one offline, or one kept as a last-resort writer) is printed, not
        // asserted: docs/galera.md records it.
        System.out.println("Galera, ProxySQL " + version + ", monitor login refused: " + GaleraProxySql.servers(proxy));
    }

    private static List<ProxySqlNode> startProxies(String version, Credentials monitor) throws Exception {
        InitSecret users = GaleraProxySql.applicationUser(APP_USER, APP_PASSWORD);
        String cnf = GaleraProxySql.render(GALERA, monitor, 3, RULES, users);
        return PROXYSQL.startCluster(version, cnf, TestConfigs.peers(3));
    }

    static String awaitAgreedWriter(List<ProxySqlNode> proxies) {
        return Await.until(ROUTING_DEADLINE, "every ProxySQL node to have the same single writer ONLINE",
                () -> {
                    String writer = GaleraProxySql.agreedWriter(proxies);
                    return writer != null ? writer : GaleraProxySql.describe(proxies);
                }, w -> w.startsWith("127."));
    }

    private static void awaitOffline(List<ProxySqlNode> proxies, GaleraNode node, String why) {
        Await.until(ROUTING_DEADLINE, node + " (" + why + ") in the offline hostgroup of every ProxySQL node and in no other",
                () -> GaleraProxySql.describe(proxies), d -> proxies.stream().allMatch(p ->
                        GaleraProxySql.listed(p, OFFLINE).contains(node.address())
                                && !GaleraProxySql.online(p, READER).contains(node.address())
                                && !GaleraProxySql.online(p, WRITER).contains(node.address())
                                && !GaleraProxySql.online(p, BACKUP_WRITER).contains(node.address())));
    }

    private static void awaitReader(List<ProxySqlNode> proxies, GaleraNode node, String why) {
        Await.until(ROUTING_DEADLINE, node + " (" + why + ") back among the readers of every ProxySQL node",
                () -> GaleraProxySql.describe(proxies), d -> proxies.stream().allMatch(p ->
                        GaleraProxySql.online(p, READER).contains(node.address())
                                && !GaleraProxySql.listed(p, OFFLINE).contains(node.address())));
    }

    private static void assertReadsAvoid(ProxySqlNode proxy, GaleraNode node) throws SQLException {
        try (Connection app = client(proxy)) {
            assertThat(readsReach(app)).as("the nodes reads reach while %s is out", node).isNotEmpty()
                    .doesNotContain(node.address());
        }
    }

    private GaleraNode aNodeOtherThan(String writer) {
        return GALERA.nodes().stream().filter(n -> !n.address().equals(writer)).findFirst().orElseThrow();
    }

    /** The nodes {@value #READS} plain SELECTs through ProxySQL ran on. */
    private static Set<String> readsReach(Connection app) throws SQLException {
        Set<String> nodes = new TreeSet<>();
        for (int i = 0; i < READS; i++) {
            nodes.add(value(app, "SELECT " + NODE));
        }
        return nodes;
    }

    /** The nodes the rows tagged {@code tag} were written on, read directly from node 1. */
    private static Set<String> writtenOn(String tag) throws SQLException {
        Set<String> nodes = new TreeSet<>();
        try (Connection c = GALERA.node(1).connectAsSetupUser(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT DISTINCT node FROM shop.writes WHERE proxy = '" + tag + "'")) {
            while (rs.next()) {
                nodes.add(rs.getString(1));
            }
        }
        return nodes;
    }

    /** The latest row of monitor.mysql_server_galera_log per node (hostname to columns). */
    private static Map<String, Map<String, String>> latestGaleraChecks(ProxySqlNode proxy) {
        try (AdminSession admin = proxy.session()) {
            Map<String, Map<String, String>> latest = new java.util.TreeMap<>();
            for (Map<String, String> row : admin.rows("SELECT * FROM monitor.mysql_server_galera_log g WHERE time_start_us ="
                    + " (SELECT MAX(time_start_us) FROM monitor.mysql_server_galera_log WHERE hostname = g.hostname)")) {
                latest.put(row.get("hostname"), row);
            }
            return latest;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String galeraLogColumn(ProxySqlNode proxy, GaleraNode node, String column) {
        return latestGaleraChecks(proxy).get(node.address()).get(column);
    }

    private static List<String> grants(Connection c, String user) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS FOR '" + user + "'@'%'")) {
            while (rs.next()) {
                String grant = rs.getString(1);
                if (!grant.startsWith("GRANT USAGE")) {
                    grants.add(grant);
                }
            }
        }
        return grants;
    }

    private static Set<String> addresses(List<GaleraNode> nodes) {
        return new TreeSet<>(nodes.stream().map(GaleraNode::address).toList());
    }

    /**
     * A client session that ProxySQL can route statement by statement. MariaDB Connector/J 3 asks a server that offers
     * session tracking (ProxySQL does) for {@code SET session_track_system_variables = CONCAT(@@global...)} right after
     * the login; ProxySQL cannot parse that SET and locks the session to the hostgroup it ran on (the user's default,
     * the writers), so every later read routed to the readers failed with "connection is locked to hostgroup 2 but
     * trying to reach hostgroup 3". {@code disableSessionTracking} keeps the driver from sending it.
     */
    static Connection client(ProxySqlNode proxy) throws SQLException {
        return proxy.connectAsClient(APP_USER, APP_PASSWORD, ROUTABLE);
    }

    /** The driver option that keeps a session routable (see {@link #client}); without it the routing tests fail. */
    static final Map<String, String> ROUTABLE = Map.of("disableSessionTracking", "true");

    private static String value(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
