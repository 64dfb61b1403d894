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
