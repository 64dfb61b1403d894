package dev.proxysql.operator.testing.galera;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.testing.cluster.Await;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The fixture itself on a real 3-node Galera cluster: it is one cluster (a row written on one node is read on the
 * others), a SIGKILLed member leaves the group and rejoins after a restart, and the desync / reject-queries helpers
 * change what the server reports (the state ProxySQL's Galera check reads). Prints the start-up and the kill-to-leave
 * times, which the ProxySQL-level tests depend on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalGaleraIT {

    @RegisterExtension
    static final LocalGalera GALERA = new LocalGalera().withInitStatement("CREATE DATABASE IF NOT EXISTS it");

    @Test
    @Order(1)
    void threeSyncedMembersShareTheirWrites() throws Exception {
        System.out.println("LocalGalera: 3 nodes Synced after " + GALERA.startupTime().toMillis() + " ms");
        for (GaleraNode node : GALERA.nodes()) {
            Map<String, String> status = node.wsrepStatus();
            assertThat(status).as(node.toString()).containsEntry("wsrep_cluster_size", "3")
                    .containsEntry("wsrep_local_state_comment", "Synced").containsEntry("wsrep_cluster_status", "Primary");
        }
        GALERA.node(1).execute("CREATE TABLE it.t (id INT PRIMARY KEY)", "INSERT INTO it.t VALUES (1), (2)");
        assertThat(count(GALERA.node(3), "SELECT COUNT(*) FROM it.t")).isEqualTo(2);
        assertThat(count(GALERA.node(2), "SELECT COUNT(*) FROM it.t")).isEqualTo(2);
    }

    @Test
    @Order(2)
    void aKilledMemberLeavesTheGroupAndRejoinsAfterARestart() throws Exception {
        GaleraNode victim = GALERA.node(1); // the bootstrap node: a restart must join, not bootstrap again
        long killed = System.nanoTime();
        victim.kill();
        GALERA.node(2).execute("INSERT INTO it.t VALUES (3)"); // the survivors keep taking writes at once
        Await.until(Duration.ofSeconds(60), "the survivors to see 2 members after node 1 was killed",
                () -> clusterSize(GALERA.node(2)), "2"::equals);
        System.out.println("LocalGalera: cluster size 3 -> 2 seen " + Duration.ofNanos(System.nanoTime() - killed).toMillis()
                + " ms after SIGKILL");

        long restarted = System.nanoTime();
        GALERA.restart(victim);
        System.out.println("LocalGalera: killed node Synced again " + Duration.ofNanos(System.nanoTime() - restarted).toMillis()
                + " ms after its restart");
        assertThat(count(victim, "SELECT COUNT(*) FROM it.t")).as("the row written while it was down").isEqualTo(3);
    }

    @Test
    @Order(3)
    void desyncAndRejectQueriesShowInWhatTheServerReports() throws Exception {
        GaleraNode node = GALERA.node(2);
        node.desync(true);
        try {
            assertThat(variable(node, "SELECT @@wsrep_desync")).isEqualTo("1");
            Await.until(Duration.ofSeconds(10), "node 2 to report Donor/Desynced",
                    () -> uncheckedStatus(node, "wsrep_local_state_comment"), "Donor/Desynced"::equals);
        } finally {
            node.desync(false);
        }
        GALERA.awaitSynced(node, 3, Duration.ofSeconds(30));

        node.rejectQueries("ALL");
        try {
            assertThat(variable(node, "SELECT @@wsrep_reject_queries")).isEqualTo("ALL");
        } finally {
            node.rejectQueries("NONE");
        }
        assertThat(variable(node, "SELECT @@wsrep_reject_queries")).isEqualTo("NONE");
    }

    private static String variable(GaleraNode node, String sql) throws SQLException {
        try (Connection c = node.connectAsSetupUser(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static int count(GaleraNode node, String sql) throws SQLException {
        return Integer.parseInt(variable(node, sql));
    }

    private static String clusterSize(GaleraNode node) {
        return uncheckedStatus(node, "wsrep_cluster_size");
    }

    private static String uncheckedStatus(GaleraNode node, String name) {
        try {
            return node.wsrepStatus().get(name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
