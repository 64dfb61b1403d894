package dev.proxysql.operator.proxysql.galera;

import static dev.proxysql.operator.testing.galera.GaleraProxySql.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.InitSecret;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.galera.GaleraNode;
import dev.proxysql.operator.testing.galera.GaleraProxySql;
import dev.proxysql.operator.testing.galera.LocalGalera;
import dev.proxysql.operator.testing.galera.WriteLoad;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.TestConfigs;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The writer's {@code mysqld} SIGKILLed under client load (short write transactions through a 3-node ProxySQL Cluster,
 * port 6033): ProxySQL moves the writer to another node, every ProxySQL node agrees on it, clients write again, and no
 * acknowledged write is lost (every committed row is on both survivors). Prints the time from the kill to the first
 * successful write and the failed transactions; speed targets live in the benchmark (bench/run.sh galera), not here.
 */
class GaleraFailoverOnProxySqlIT {

    private static final String ADMIN = "kubedb_root";
    private static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final String APP_USER = "shop";
    private static final String APP_PASSWORD = "Shop-Pw-0042";
    private static final Credentials MONITOR = new Credentials("proxysql", "MonitorPw000000000042");
    private static final int CLIENTS = 4;
    private static final int BEFORE_KILL = 200;
    private static final int AFTER_KILL = 200;
    /** The load's bound: it ends after this many transactions even if the test did not stop it. */
    private static final int MAX_TRANSACTIONS = 50_000;
    private static final Duration FAILOVER_DEADLINE = Duration.ofSeconds(90);

    @RegisterExtension
    static final LocalGalera GALERA = new LocalGalera().withAdmin(ADMIN, ADMIN_PASSWORD)
            .withInitStatement("CREATE DATABASE IF NOT EXISTS shop")
            .withUser(APP_USER, APP_PASSWORD, "ALL PRIVILEGES ON shop.*");

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @BeforeAll
    static void theOperatorCreatesTheMonitorUser() {
        GaleraProxySql.createMonitorUser(GALERA, new Credentials(ADMIN, ADMIN_PASSWORD), MONITOR);
    }

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void theWritersMysqldKilledUnderLoadMovesTheWriterWithNoAcknowledgedWriteLost(String version) throws Exception {
        InitSecret users = GaleraProxySql.applicationUser(APP_USER, APP_PASSWORD);
        List<ProxySqlNode> proxies = PROXYSQL.startCluster(version,
                GaleraProxySql.render(GALERA, MONITOR, 3, List.of(), users), TestConfigs.peers(3));
        String writer = GaleraOnProxySqlIT.awaitAgreedWriter(proxies);
        GaleraNode victim = GALERA.nodeAt(writer);
        String table = "shop.acked_" + version.replace('.', '_');
        try (Connection c = GALERA.node(1).connectAsSetupUser()) {
            WriteLoad.createTable(c, table);
        }

        WriteLoad load = new WriteLoad(proxies.stream().map(p -> p.address() + ":" + ProxySqlNode.MYSQL_PORT).toList(),
                APP_USER, APP_PASSWORD, table, CLIENTS, WriteLoad.Reconnect.SAME, MAX_TRANSACTIONS);
        String newWriter;
        long killed;
        try {
            Await.until(Duration.ofSeconds(60), BEFORE_KILL + " acknowledged writes before the kill", load::acknowledgedCount,
                    n -> n >= BEFORE_KILL || load.exhausted());
            load.markEvent();
            killed = System.nanoTime();
            victim.kill();
            newWriter = Await.until(FAILOVER_DEADLINE, "every ProxySQL node to agree on a new writer after " + writer + " was killed",
                    () -> {
                        String w = GaleraProxySql.agreedWriter(proxies);
                        return w == null || w.equals(writer) ? GaleraProxySql.describe(proxies) : w;
                    }, w -> w.startsWith("127."));
            long moved = System.nanoTime();
            int before = load.acknowledgedCount();
            Await.until(FAILOVER_DEADLINE, AFTER_KILL + " acknowledged writes after the failover", load::acknowledgedCount,
                    n -> n >= before + AFTER_KILL || load.exhausted());
            System.out.printf("Galera failover, ProxySQL %s: writer %s SIGKILLed, every ProxySQL node had %s as writer after %d ms%n",
                    version, writer, newWriter, Duration.ofNanos(moved - killed).toMillis());
        } finally {
            load.close();
        }

        try {
            assertThat(load.wroteAfterEvent()).as("a write that began after the kill succeeded").isTrue();
            for (GaleraNode survivor : GALERA.nodes()) {
                if (survivor == victim) {
                    continue;
                }
                Set<WriteLoad.Row> rows;
                try (Connection c = survivor.connectAsSetupUser()) {
                    rows = WriteLoad.rows(c, table);
                }
                System.out.printf("Galera failover, ProxySQL %s: %s%n", version, load.figures(rows).describe());
                assertThat(load.lost(rows)).as("acknowledged writes missing on %s", survivor).isEmpty();
            }
            assertThat(newWriter).isNotEqualTo(writer);
        } finally {
            GALERA.restart(victim);
        }
    }
}
