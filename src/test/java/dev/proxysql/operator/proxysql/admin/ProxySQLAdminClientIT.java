package dev.proxysql.operator.proxysql.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.TestConfigs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The operator's admin-interface client against real ProxySQL of every built version, booted from the config the
 * provisioner renders, logging in as the operator does (the {@code cluster} user of {@code admin-admin_credentials}).
 * That a session opens at all proves the driver sends nothing on connect that ProxySQL's admin module refuses.
 */
class ProxySQLAdminClientIT {

    @RegisterExtension
    static final LocalMariaDb MARIADB = TestConfigs.withMonitorUser(new LocalMariaDb());

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();


    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void runningVersionIsTheBuildProxySqlRuns(String version) throws Exception {
        ProxySqlNode node = PROXYSQL.start(version, render(1));

        AdminResult<RunningVersion> result = client(node, TestConfigs.CLUSTER.password()).runningVersion();

        assertThat(result.isSuccess()).as("%s", result).isTrue();
        assertThat(result.value().raw()).isEqualTo(ProxySqlBuilds.reportedVersion(version));
        assertThat(result.value().release()).isEqualTo(version);
    }

    @Test
    void pingLogsInAndRunsAQuery() throws Exception {
        ProxySqlNode node = PROXYSQL.start(ProxySqlBuilds.newest(), render(1));

        AdminResult<Duration> result = client(node, TestConfigs.CLUSTER.password()).ping();

        assertThat(result.isSuccess()).as("%s", result).isTrue();
        assertThat(result.value()).isPositive();
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailureThatDoesNotQuoteThePassword() throws Exception {
        ProxySqlNode node = PROXYSQL.start(ProxySqlBuilds.newest(), render(1));
        String wrongPassword = "Wrong-Pw-7788";

        AdminResult<RunningVersion> result = client(node, wrongPassword).runningVersion();

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.failure().kind()).as("%s", result).isEqualTo(AdminFailureKind.AUTHENTICATION_FAILED);
        assertThat(result.failure().message())
                .contains("'" + TestConfigs.CLUSTER.username() + "'", node.adminEndpoint().toString())
                .doesNotContain(wrongPassword)
                .doesNotContain(TestConfigs.CLUSTER.password());
        assertThat(result.toString()).doesNotContain(wrongPassword);
    }

    @Test
    void stoppedProxySqlIsConnectionRefused() throws Exception {
        ProxySqlNode node = PROXYSQL.start(ProxySqlBuilds.newest(), render(1));
        node.stop();

        AdminResult<Duration> result = client(node, TestConfigs.CLUSTER.password()).ping();

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.failure().kind()).as("%s", result).isEqualTo(AdminFailureKind.CONNECTION_REFUSED);
    }

    /**
     * What a HorizontalScaling says to a node: its whole membership, at runtime and on disk (a node restarted with its
     * datadir keeps it), with rows as the renderer writes them; the list may be said again.
     */
    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void setClusterPeersReplacesTheMembershipAtRuntimeAndOnDisk(String version) throws Exception {
        ProxySqlNode node = PROXYSQL.startCluster(version, render(2), TestConfigs.peers(2)).get(0);
        ProxySQLAdminClient client = client(node, TestConfigs.CLUSTER.password());
        List<ClusterPeer> three = List.of(new ClusterPeer(node.address(), 6032), new ClusterPeer("127.0.0.9", 6032),
                new ClusterPeer("proxy-server-2.proxy-server-pods.demo.svc", 6032));

        assertThat(client.setClusterPeers(three).isSuccess()).isTrue();
        assertThat(client.setClusterPeers(three).isSuccess()).as("said again").isTrue();

        assertThat(client.clusterPeers().value()).containsExactlyInAnyOrderElementsOf(three);
        try (var admin = node.session()) {
            assertThat(admin.rows("SELECT hostname, port, weight, comment FROM disk.proxysql_servers ORDER BY hostname"))
                    .extracting(r -> r.get("hostname") + ":" + r.get("port") + " w" + r.get("weight") + " '" + r.get("comment") + "'")
                    .containsExactly("127.0.0.9:6032 w1 ''", node.address() + ":6032 w1 ''", "proxy-server-2.proxy-server-pods.demo.svc:6032 w1 ''");
        }
        assertThat(client.setClusterPeers(List.of(new ClusterPeer("x'; DROP TABLE y; --", 6032))).isSuccess())
                .as("a host name that is not one is refused before any SQL").isFalse();
    }

    /**
     * The drain of a leaving pod: {@code PROXYSQL PAUSE} closes the client listener (connections are refused, so a
     * readiness probe on 6033 fails) while the admin interface answers; ProxySQL refuses a second PAUSE ("already
     * paused", with MySQL error 1045, which is "access denied" elsewhere): the client counts it as done.
     */
    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void stopAcceptingClientsClosesTheClientPortAndMayBeRepeated(String version) throws Exception {
        ProxySqlNode node = PROXYSQL.start(version, render(1));
        ProxySQLAdminClient client = client(node, TestConfigs.CLUSTER.password());
        assertThat(client.clientConnections().value()).isZero();

        assertThat(client.stopAcceptingClients().isSuccess()).isTrue();
        assertThat(client.stopAcceptingClients().isSuccess()).as("already paused").isTrue();
        assertThat(node.acceptsClients()).as("client port after PROXYSQL PAUSE").isFalse();
        assertThat(client.clientConnections().value()).isZero();

        assertThat(client.acceptClients().isSuccess()).isTrue();
        assertThat(client.acceptClients().isSuccess()).as("not paused").isTrue();
        assertThat(node.acceptsClients()).as("client port after PROXYSQL RESUME").isTrue();
    }


    @Test
    void clusterPeersAndBackendServersAreWhatTheRenderedConfigLoaded() throws Exception {
        List<String> peers = TestConfigs.peers(2);
        List<ProxySqlNode> nodes = PROXYSQL.startCluster(ProxySqlBuilds.newest(), render(2), peers);
        ProxySQLAdminClient client = client(nodes.get(0), TestConfigs.CLUSTER.password());

        AdminResult<List<ClusterPeer>> listed = client.clusterPeers();
        AdminResult<List<BackendServerState>> servers = client.backendServers();

        assertThat(listed.isSuccess()).as("%s", listed).isTrue();
        assertThat(listed.value()).containsExactlyInAnyOrder(
                new ClusterPeer(nodes.get(0).address(), 6032), new ClusterPeer(nodes.get(1).address(), 6032));
        assertThat(servers.isSuccess()).as("%s", servers).isTrue();
        assertThat(servers.value()).containsExactly(new BackendServerState(2, LocalMariaDb.HOST, MARIADB.port(), "ONLINE"));
    }

    @Test
    void everyCallSucceedsConcurrentlyOnOneClient() throws Exception {
        List<String> peers = TestConfigs.peers(2);
        ProxySqlNode node = PROXYSQL.startCluster(ProxySqlBuilds.newest(), render(2), peers).get(0);
        ProxySQLAdminClient client = client(node, TestConfigs.CLUSTER.password());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<AdminResult<?>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(client::ping);
                calls.add(client::runningVersion);
                calls.add(client::peerChecksums);
                calls.add(client::clusterPeers);
                calls.add(client::backendServers);
                calls.add(client::backendProbes);
            }
            for (Future<AdminResult<?>> call : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                AdminResult<?> result = call.get();
                assertThat(result.isSuccess()).as("%s", result).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A standalone backend (the local MariaDB) behind {@code replicas} ProxySQL pods. */
    static String render(int replicas) {
        return TestConfigs.standalone(MARIADB.port(), replicas);
    }

    private static ProxySQLAdminClient client(ProxySqlNode node, String password) {
        return new ProxySQLAdminClient(node.adminEndpoint(), new AdminCredentials(TestConfigs.CLUSTER.username(), password),
                new AdminTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }
}
