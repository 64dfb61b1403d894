package dev.proxysql.operator.opsmanager.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.opsmanager.rolling.VerifyResult;
import dev.proxysql.operator.opsmanager.rolling.VerifyResult.Verdict;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminTimeouts;
import dev.proxysql.operator.proxysql.admin.ClusterPeer;
import dev.proxysql.operator.proxysql.admin.ProxySQLAdminClient;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.TestConfigs;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The check the ops manager makes on every replaced pod, asked of real ProxySQL processes booted from the rendered
 * config: a healthy cluster member passes; another version fails; a node whose backend is down, or that does not list
 * its peers, or that is not up, is pending (and becomes a failed check at the step timeout, see RollingReplacement).
 */
class NodeCheckIT {

    private static final Duration MONITOR_DEADLINE = Duration.ofSeconds(60);

    @RegisterExtension
    static final LocalMariaDb MARIADB = TestConfigs.withMonitorUser(new LocalMariaDb());

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();


    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void everyMemberOfAHealthyClusterPasses(String version) throws Exception {
        List<String> names = TestConfigs.peers(3);
        List<ProxySqlNode> nodes = PROXYSQL.startCluster(version, render(3, MARIADB.port()), names);

        for (ProxySqlNode node : nodes) {
            VerifyResult result = awaitConclusive(node, version, peersOf(nodes));
            assertThat(result.verdict()).as("%s", result.message()).isEqualTo(Verdict.PASSED);
            assertThat(result.message()).contains("runs " + ProxySqlBuilds.reportedVersion(version), "lists its 3 cluster peers",
                    "reaches its backend");
        }
    }

    @Test
    void anotherVersionFails() throws Exception {
        String older = ProxySqlBuilds.oldest();
        String newer = ProxySqlBuilds.newest();
        ProxySqlNode node = PROXYSQL.start(older, render(1, MARIADB.port()));

        VerifyResult result = NodeCheck.run(client(node, TestConfigs.CLUSTER.password()), newer, Set.of());

        assertThat(result.verdict()).as("%s", result.message()).isEqualTo(Verdict.FAILED);
        assertThat(result.message()).contains(newer, ProxySqlBuilds.reportedVersion(older));
    }

    @Test
    void refusedLoginFails() throws Exception {
        ProxySqlNode node = PROXYSQL.start(ProxySqlBuilds.newest(), render(1, MARIADB.port()));

        VerifyResult result = NodeCheck.run(client(node, "not-the-password"), ProxySqlBuilds.newest(), Set.of());

        assertThat(result.verdict()).as("%s", result.message()).isEqualTo(Verdict.FAILED);
        assertThat(result.message()).contains("cluster").doesNotContain("not-the-password");
    }

    @Test
    void aNodeThatIsNotUpIsPending() throws Exception {
        ProxySqlNode node = PROXYSQL.start(ProxySqlBuilds.newest(), render(1, MARIADB.port()));
        node.stop();

        VerifyResult result = NodeCheck.run(client(node, TestConfigs.CLUSTER.password()), ProxySqlBuilds.newest(), Set.of());

        assertThat(result.verdict()).as("%s", result.message()).isEqualTo(Verdict.PENDING);
        assertThat(result.message()).contains("refused");
    }

    @Test
    void aNodeWhoseBackendIsDownIsPendingWithTheMonitorsError() throws Exception {
        ProxySqlNode node = PROXYSQL.start(ProxySqlBuilds.newest(), render(1, closedPort()));
        ProxySQLAdminClient client = client(node, TestConfigs.CLUSTER.password());

        VerifyResult result = Await.until(MONITOR_DEADLINE, "the monitor to report the closed backend port",
                () -> NodeCheck.run(client, ProxySqlBuilds.newest(), Set.of()),
                r -> r.message().contains("backend unreachable"));

        assertThat(result.verdict()).as("%s", result.message()).isEqualTo(Verdict.PENDING);
        assertThat(result.message()).contains("runs " + ProxySqlBuilds.reportedVersion(ProxySqlBuilds.newest()), LocalMariaDb.HOST);
    }

    @Test
    void aNodeThatDoesNotListEveryPeerIsPending() throws Exception {
        List<String> names = TestConfigs.peers(2);
        List<ProxySqlNode> nodes = PROXYSQL.startCluster(ProxySqlBuilds.newest(), render(2, MARIADB.port()), names);
        Set<ClusterPeer> expected = new LinkedHashSet<>(peersOf(nodes));
        expected.add(new ClusterPeer("proxy-server-2.proxy-server-pods.demo.svc", 6032)); // a third replica it does not know

        VerifyResult result = NodeCheck.run(client(nodes.get(0), TestConfigs.CLUSTER.password()), ProxySqlBuilds.newest(), expected);

        assertThat(result.verdict()).as("%s", result.message()).isEqualTo(Verdict.PENDING);
        assertThat(result.message()).contains("lists 2 of 3 peers", "missing proxy-server-2.proxy-server-pods.demo.svc:6032");
    }

    /** Asks until the answer is no longer pending (a fresh node's monitor runs its first check within seconds). */
    private static VerifyResult awaitConclusive(ProxySqlNode node, String version, Set<ClusterPeer> peers) {
        ProxySQLAdminClient client = client(node, TestConfigs.CLUSTER.password());
        return Await.until(MONITOR_DEADLINE, "a conclusive check of " + node.address(),
                () -> NodeCheck.run(client, version, peers), r -> !r.pending());
    }

    private static Set<ClusterPeer> peersOf(List<ProxySqlNode> nodes) {
        Set<ClusterPeer> peers = new LinkedHashSet<>();
        nodes.forEach(n -> peers.add(new ClusterPeer(n.address(), ProxySqlNode.ADMIN_PORT)));
        return peers;
    }

    // The rendered monitor intervals (200 s, KubeDB's): the monitor's first connect and ping run at start-up.
    private static String render(int replicas, int backendPort) {
        return TestConfigs.standalone(backendPort, replicas);
    }

    private static ProxySQLAdminClient client(ProxySqlNode node, String password) {
        return new ProxySQLAdminClient(node.adminEndpoint(), new AdminCredentials(TestConfigs.CLUSTER.username(), password),
                new AdminTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LocalMariaDb.HOST))) {
            return socket.getLocalPort();
        }
    }
}
