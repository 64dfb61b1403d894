package dev.proxysql.operator.proxysql.galera;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.testing.galera.GaleraNode;
import dev.proxysql.operator.testing.galera.GaleraProxySql;
import dev.proxysql.operator.testing.galera.LocalGalera;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The monitor user the provisioner creates for a Galera backend (one grant: {@code SELECT ON performance_schema.*})
 * can run, on every node of a real cluster, the very query ProxySQL's Galera check sends to a MariaDB server
 * (ProxySQL 2.6.5 and 2.7.1, lib/MySQL_Monitor.cpp, the branch for servers whose version starts with neither 5.7 nor
 * 8), and it reports what the check decides on: Synced (4), Primary, not desynced, not rejecting. Without ProxySQL, so
 * it runs where ProxySQL is not built; GaleraOnProxySqlIT runs the same through real ProxySQL.
 */
class GaleraMonitorQueryIT {

    private static final Credentials ADMIN = new Credentials("kubedb_root", "AdminPw1234567890");
    private static final Credentials MONITOR = new Credentials("proxysql", "MonitorPw000000000042");

    /** ProxySQL's Galera check for a MariaDB server, verbatim (both versions send the same text). */
    static final String PROXYSQL_GALERA_CHECK = "SELECT (SELECT VARIABLE_VALUE FROM INFORMATION_SCHEMA.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_LOCAL_STATE') "
            + "wsrep_local_state, @@read_only read_only, (SELECT VARIABLE_VALUE FROM INFORMATION_SCHEMA.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_LOCAL_RECV_QUEUE') wsrep_local_recv_queue , "
            + "@@wsrep_desync wsrep_desync, @@wsrep_reject_queries wsrep_reject_queries, @@wsrep_sst_donor_rejects_queries wsrep_sst_donor_rejects_queries, "
            + "(SELECT VARIABLE_VALUE FROM INFORMATION_SCHEMA.GLOBAL_STATUS WHERE VARIABLE_NAME='WSREP_CLUSTER_STATUS') wsrep_cluster_status , (SELECT 'DISABLED') pxc_maint_mode";

    @RegisterExtension
    static final LocalGalera GALERA = new LocalGalera().withAdmin(ADMIN.username(), ADMIN.password());

    @Test
    void theProvisionersMonitorUserRunsProxySqlsGaleraCheckOnEveryNode() throws Exception {
        GaleraProxySql.createMonitorUser(GALERA, ADMIN, MONITOR);
        for (GaleraNode node : GALERA.nodes()) {
            try (Connection c = node.connect(MONITOR.username(), MONITOR.password())) {
                assertThat(check(c)).as("ProxySQL's Galera check as the monitor user on %s", node)
                        .containsExactly("4", "0", "0", "0", "NONE", "0", "Primary", "DISABLED");
                assertThat(grants(c)).as("what the monitor user holds on %s (replicated from node 1)", node)
                        .containsExactly("GRANT SELECT ON `performance_schema`.* TO `proxysql`@`%`");
            }
        }
        GaleraNode node = GALERA.node(2);
        node.desync(true);
        try (Connection c = node.connect(MONITOR.username(), MONITOR.password())) {
            List<String> row = check(c);
            assertThat(row.get(0)).as("wsrep_local_state of a desynced node (Donor/Desynced)").isEqualTo("2");
            assertThat(row.get(3)).as("@@wsrep_desync").isEqualTo("1");
        } finally {
            node.desync(false);
        }
    }

    @Test
    void aMonitorLoginTheClusterDoesNotKnowIsRefused() {
        assertThatThrownBy(() -> GALERA.node(1).connect("proxysql_0badc0de", "NotOnTheBackend0042").close())
                .isInstanceOf(SQLException.class).hasMessageContaining("Access denied for user 'proxysql_0badc0de'");
    }

    private static List<String> check(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(PROXYSQL_GALERA_CHECK)) {
            assertThat(rs.next()).isTrue();
            List<String> row = new ArrayList<>();
            for (int i = 1; i <= 8; i++) {
                row.add(rs.getString(i));
            }
            return row;
        }
    }

    /** SHOW GRANTS without the USAGE line (which carries the password hash). */
    private static List<String> grants(Connection c) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SHOW GRANTS")) {
            while (rs.next()) {
                if (!rs.getString(1).startsWith("GRANT USAGE ON *.*")) {
                    grants.add(rs.getString(1));
                }
            }
        }
        return grants;
    }
}
