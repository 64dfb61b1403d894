package dev.proxysql.operator.proxysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.proxysql.admin.AdminFailureKind;
import dev.proxysql.operator.proxysql.admin.AdminTimeouts;
import dev.proxysql.operator.proxysql.admin.CredentialRotation;
import dev.proxysql.operator.proxysql.admin.CredentialRotator;
import dev.proxysql.operator.proxysql.admin.CredentialRotator.NodeState;
import dev.proxysql.operator.proxysql.admin.FailureClassifier;
import dev.proxysql.operator.proxysql.config.AdminVariableDefaults;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.TestConfigs;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cluster/admin pair of a real 3-node ProxySQL Cluster rotated through the admin interface with
 * {@link CredentialRotation}: every node ends accepting only the new pair, the Cluster syncs between nodes in
 * neighbouring states at every step, a jump straight to the new pair splits the Cluster (why the bridge exists), and a
 * rotation stopped by a node going down is walked back to the old pair on every node, the one that comes back included.
 */
class CredentialRotationOnProxySqlIT {
    // Sync needs cluster_*_diffs_before_sync (3) checks of cluster_check_interval_ms (200 ms); generous under load.
    private static final Duration SYNC_DEADLINE = Duration.ofSeconds(60);
    /** Nothing listens there: these tests are about the admin interface and the Cluster, not the backend. */
    private static final int NO_BACKEND_PORT = 9;
    private static final AdminCredentials OLD = new AdminCredentials(TestConfigs.CLUSTER.username(), TestConfigs.CLUSTER.password());
    private static final AdminCredentials NEW = new AdminCredentials("cluster", "Rotated7Pw3");
    private static final AdminCredentials BRIDGE = new AdminCredentials(CredentialRotation.BRIDGE_USER, NEW.password());

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    private final CredentialRotation plan = new CredentialRotation(AdminVariableDefaults.LOCAL_ADMIN, OLD, NEW);
    private final CredentialRotator rotator = new CredentialRotator(plan, AdminTimeouts.DEFAULT);

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void everyNodeEndsOnTheNewPairAndTheClusterSyncsAtEveryStep(String version) throws Exception {
        List<ProxySqlNode> nodes = cluster(version);
        for (int to = CredentialRotation.FIRST + 1; to <= CredentialRotation.LAST; to++) {
            for (ProxySqlNode node : nodes) {
                int at = state(node);
                if (at == to - 1) {
                    rotator.step(node.adminEndpoint(), at, to);
                } else {
                    // Not written by us: the Cluster synced the admin variables from a node already written.
                    assertThat(at).as("state of %s while moving to %d", node.address(), to).isEqualTo(to);
                }
            }
            awaitAllIn(nodes, to);
            // The Cluster still syncs: a rule loaded on one node reaches every other one.
            ProxySqlNode source = nodes.get(to % nodes.size());
            int ruleId = 100 + to;
            awaitNextEpochSecond(nodes, plan.login(to, to));
            try (AdminSession s = AdminSession.open(source.adminEndpoint(), plan.login(to, to))) {
                s.execute("INSERT INTO mysql_query_rules (rule_id, active, match_digest, apply) VALUES (" + ruleId
                        + ", 1, '^SELECT rotation_" + to + "', 1)", "LOAD MYSQL QUERY RULES TO RUNTIME");
            }
            for (ProxySqlNode node : nodes) {
                awaitRule(node, ruleId, plan.login(to, to));
            }
        }
        for (ProxySqlNode node : nodes) {
            try (AdminSession s = AdminSession.open(node.adminEndpoint(), NEW)) {
                assertThat(s.value("SELECT 1")).isEqualTo("1");
            }
            assertRefused(node.adminEndpoint(), OLD);
            assertRefused(node.adminEndpoint(), BRIDGE);
        }
    }

    /**
     * Not in ProxySQL's docs: admin variables, the credentials included, are synced by the Cluster. A pair loaded on one
     * node reaches the others while they can still log in to it, here only the first step's bridge user.
     */
    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void theClusterSyncsAdminCredentialsToPeersThatCanStillLogIn(String version) throws Exception {
        List<ProxySqlNode> nodes = cluster(version);
        rotator.step(nodes.get(0).adminEndpoint(), 0, 1);
        awaitAllIn(nodes, 1);
    }

    /** Why the bridge: the new pair loaded on one node alone locks it and its peers out of each other. */
    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void aJumpStraightToTheNewPairSplitsTheCluster(String version) throws Exception {
        List<ProxySqlNode> nodes = cluster(version);
        ProxySqlNode jumped = nodes.get(0);
        try (AdminSession s = AdminSession.open(jumped.adminEndpoint(), OLD)) {
            plan.variables(CredentialRotation.LAST).forEach((name, value) -> {
                try {
                    s.execute("UPDATE global_variables SET variable_value = '" + value + "' WHERE variable_name = '" + name + "'");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            s.execute("LOAD ADMIN VARIABLES TO RUNTIME");
        }
        // A rule loaded on node 1 reaches node 2 (both on the old pair) ...
        try (AdminSession s = nodes.get(1).session()) {
            s.execute("INSERT INTO mysql_query_rules (rule_id, active, match_digest, apply) VALUES (77, 1, '^SELECT split', 1)",
                    "LOAD MYSQL QUERY RULES TO RUNTIME");
        }
        awaitRule(nodes.get(2), 77, OLD);
        // ... and node 1 logs that the jumped node refuses its cluster login; the jumped node itself refuses the old pair.
        Await.until(SYNC_DEADLINE, "node 1's log: the jumped node " + jumped.address() + " refuses its cluster login",
                () -> nodes.get(1).logTail().lines().anyMatch(l -> l.contains(jumped.address()) && l.contains("Access denied")));
        assertRefused(jumped.adminEndpoint(), OLD);
        assertThat(state(nodes.get(2))).as("node 2 never got the jumped node's pair").isEqualTo(0);
    }

    /**
     * A node stops mid-rotation: the rest are walked back to the old pair; the stopped node comes back with the state it
     * had saved to disk, is walked back too, and the Cluster syncs again on the old pair.
     */
    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void aNodeStoppedMidwayIsRolledBackWithTheRest(String version) throws Exception {
        List<ProxySqlNode> nodes = cluster(version);
        for (int to = 1; to <= 2; to++) {
            for (ProxySqlNode node : nodes) {
                int at = state(node);
                if (at != to) {
                    rotator.step(node.adminEndpoint(), at, to);
                }
            }
            awaitAllIn(nodes, to);
        }
        ProxySqlNode stopped = nodes.get(2);
        stopped.stop();
        rotator.step(nodes.get(0).adminEndpoint(), 2, 3);
        // Moving on needs every node in state 3: the stopped one cannot be reached, so the rotation fails and rolls back.
        assertThat(reachable(stopped)).isFalse();
        for (ProxySqlNode node : nodes.subList(0, 2)) {
            walkDownToFirst(node);
        }
        stopped.start();
        int cameBackIn = state(stopped);
        assertThat(cameBackIn).as("state the stopped node came back in (saved to disk)").isEqualTo(2);
        // Straight to where the others are, in one write: walking it down state by state would let the others pull its
        // intermediate state (its LOAD is the newest), and two LOADs in one second are an epoch conflict nobody resolves.
        rotator.step(stopped.adminEndpoint(), cameBackIn, CredentialRotation.FIRST);
        awaitAllIn(nodes, 0);
        awaitNextEpochSecond(nodes, OLD);
        try (AdminSession s = nodes.get(1).session()) {
            s.execute("INSERT INTO mysql_query_rules (rule_id, active, match_digest, apply) VALUES (88, 1, '^SELECT back', 1)",
                    "LOAD MYSQL QUERY RULES TO RUNTIME");
        }
        for (ProxySqlNode node : nodes) {
            awaitRule(node, 88, OLD);
            assertRefused(node.adminEndpoint(), NEW);
            assertRefused(node.adminEndpoint(), BRIDGE);
        }
    }

    private List<ProxySqlNode> cluster(String version) throws Exception {
        return PROXYSQL.startCluster(version, TestConfigs.standalone(NO_BACKEND_PORT, 3), TestConfigs.peers(3));
    }

    private void walkDownToFirst(ProxySqlNode node) throws SQLException {
        for (int at = state(node); at > CredentialRotation.FIRST; at = state(node)) {
            rotator.step(node.adminEndpoint(), at, at - 1);
        }
    }

    private int state(ProxySqlNode node) throws SQLException {
        Optional<NodeState> s = rotator.state(node.adminEndpoint());
        assertThat(s).as("%s accepts one of the rotation's pairs", node.address()).isPresent();
        return s.get().state();
    }

    private boolean reachable(ProxySqlNode node) {
        try {
            rotator.state(node.adminEndpoint());
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private void awaitAllIn(List<ProxySqlNode> nodes, int state) {
        for (ProxySqlNode node : nodes) {
            Await.until(SYNC_DEADLINE, node.address() + " in rotation state " + state, () -> {
                try {
                    return rotator.state(node.adminEndpoint()).map(NodeState::state).orElse(-2);
                } catch (SQLException e) {
                    return -3;
                }
            }, s -> s == state);
        }
    }

    /**
     * ProxySQL's Cluster compares module epochs in whole seconds and does not sync two different versions loaded in the
     * same second ("Sync conflict, epoch times are EQUAL"): before loading a change, wait for a second after the newest
     * query-rules epoch any node has.
     */
    private static void awaitNextEpochSecond(List<ProxySqlNode> nodes, AdminCredentials login) throws SQLException {
        long newest = 0;
        for (ProxySqlNode node : nodes) {
            try (AdminSession s = AdminSession.open(node.adminEndpoint(), login)) {
                newest = Math.max(newest, Long.parseLong(s.value("SELECT epoch FROM runtime_checksums_values WHERE name = 'mysql_query_rules'")));
            }
        }
        long after = newest;
        Await.until(Duration.ofSeconds(5), "the wall clock past the newest query-rules epoch " + after,
                () -> java.time.Instant.now().getEpochSecond() > after);
    }

    private static void awaitRule(ProxySqlNode node, int ruleId, AdminCredentials login) {
        Await.until(SYNC_DEADLINE, "rule " + ruleId + " in runtime_mysql_query_rules of " + node.address(), () -> {
            try (AdminSession s = AdminSession.open(node.adminEndpoint(), login)) {
                return s.rows("SELECT rule_id FROM runtime_mysql_query_rules WHERE rule_id = " + ruleId).size();
            } catch (SQLException e) {
                return -1;
            }
        }, n -> n == 1);
    }

    private static void assertRefused(AdminEndpoint endpoint, AdminCredentials pair) {
        try (AdminSession s = AdminSession.open(endpoint, pair)) {
            throw new AssertionError(endpoint + " let " + pair.username() + " in with a password it should refuse");
        } catch (SQLException e) {
            assertThat(FailureClassifier.kindOf(e, FailureClassifier.Phase.CONNECT)).as("%s refuses %s: %s", endpoint, pair, e.getMessage())
                    .isEqualTo(AdminFailureKind.AUTHENTICATION_FAILED);
        }
    }
}
