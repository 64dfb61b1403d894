package dev.proxysql.operator.proxysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.proxysql.admin.AdminResult;
import dev.proxysql.operator.proxysql.admin.ClusterChecksums;
import dev.proxysql.operator.proxysql.admin.PeerChecksum;
import dev.proxysql.operator.proxysql.admin.ProxySQLAdminClient;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.TestConfigs;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Three real ProxySQL processes configured exactly as the provisioner configures the pods of a 3-replica ProxySQL
 * (one rendered {@code proxysql.cnf}, shared) form a ProxySQL Cluster: each lists every peer at runtime, a change
 * loaded on one node reaches the others, and a restarted node, with its datadir or recreated empty, rejoins and ends
 * with the cluster's configuration.
 */
class ProxySqlClusterIT {

    // Sync needs cluster_*_diffs_before_sync (3) checks of cluster_check_interval_ms (200 ms): a few seconds.
    private static final Duration SYNC_DEADLINE = Duration.ofSeconds(60);
    private static final String RULE = "INSERT INTO mysql_query_rules (rule_id, active, match_digest, destination_hostgroup,"
            + " apply, comment) VALUES (42, 1, '^SELECT .* FROM reports', 2, 1, 'added on one node')";

    @RegisterExtension
    static final LocalMariaDb MARIADB = TestConfigs.withMonitorUser(new LocalMariaDb());

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();


    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void threeNodesFormAClusterThatSyncsAndHeals(String version) throws Exception {
        List<String> names = TestConfigs.peers(3);
        List<ProxySqlNode> nodes = PROXYSQL.startCluster(version, TestConfigs.standalone(MARIADB.port(), 3), names);
        Set<String> everyone = nodes.stream().map(n -> n.address() + ":6032").collect(Collectors.toCollection(TreeSet::new));

        for (ProxySqlNode node : nodes) {
            assertThat(runtimePeers(node)).as("runtime_proxysql_servers of %s", node.address()).isEqualTo(everyone);
        }

        // A change loaded to runtime on one node reaches the others.
        try (AdminSession first = nodes.get(0).session()) {
            first.execute(RULE, "LOAD MYSQL QUERY RULES TO RUNTIME", "SAVE MYSQL QUERY RULES TO DISK");
        }
        for (ProxySqlNode node : nodes) {
            awaitRule42(node);
        }
        awaitChecksumsAgree(nodes);

        // A node restarted with its datadir, and a node recreated empty (a new pod), both rejoin and get the rule.
        ProxySqlNode restarted = nodes.get(1);
        restarted.stop();
        restarted.start();
        ProxySqlNode recreated = nodes.get(2);
        recreated.stop();
        recreated.wipeDatadir();
        recreated.start();
        for (ProxySqlNode node : List.of(restarted, recreated)) {
            assertThat(runtimePeers(node)).as("runtime_proxysql_servers of %s after restart", node.address()).isEqualTo(everyone);
            awaitRule42(node);
        }
        awaitChecksumsAgree(nodes);
    }

    private static void awaitRule42(ProxySqlNode node) {
        Await.until(SYNC_DEADLINE, "rule 42, loaded on another node, in runtime_mysql_query_rules of " + node.address(),
                () -> query(node, "SELECT match_digest FROM runtime_mysql_query_rules WHERE rule_id = 42"),
                rows -> rows.size() == 1 && "^SELECT .* FROM reports".equals(rows.get(0).get("match_digest")));
    }

    /** Every node sees the same checksum for each module on every peer, through the operator's own client. */
    private static void awaitChecksumsAgree(List<ProxySqlNode> nodes) {
        for (ProxySqlNode node : nodes) {
            ProxySQLAdminClient client = new ProxySQLAdminClient(node.adminEndpoint(), node.adminCredentials());
            Await.until(SYNC_DEADLINE, "one checksum per module across the peers seen by " + node.address(),
                    client::peerChecksums, r -> agree(r, nodes.size()));
        }
    }

    private static boolean agree(AdminResult<List<PeerChecksum>> result, int peers) {
        if (!result.isSuccess()) {
            return false;
        }
        long rulesRows = result.value().stream()
                .filter(r -> r.module().equals("mysql_query_rules") && r.version() > 0).count();
        return rulesRows == peers && ClusterChecksums.disagreeingModules(result.value()).isEmpty();
    }

    private static Set<String> runtimePeers(ProxySqlNode node) throws SQLException {
        return query(node, "SELECT hostname, port FROM runtime_proxysql_servers").stream()
                .map(r -> r.get("hostname") + ":" + r.get("port")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<Map<String, String>> query(ProxySqlNode node, String sql) {
        try (AdminSession session = node.session()) {
            return session.rows(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(node.address() + ": " + e.getMessage(), e);
        }
    }
}
