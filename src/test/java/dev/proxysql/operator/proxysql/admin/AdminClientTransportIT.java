package dev.proxysql.operator.proxysql.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client's own transport behaviour: its timeouts and its connection handling, against servers that misbehave on
 * purpose (a closed port, a server that never greets, a MariaDB session holding a lock so that a query gets no
 * answer). Nothing here is ProxySQL behaviour: what ProxySQL answers is proven against real ProxySQL in
 * {@link ProxySQLAdminClientIT}. MariaDB serves a table shaped like ProxySQL's checksums table only so that the
 * client's query has something to wait on.
 */
class AdminClientTransportIT {

    private static final String USER = "cluster";
    private static final String PASSWORD = "It-s3cret-Pw-42";

    // The configured timeouts are small; bounds are 10x generous so a slow CI machine does not fail them.
    private static final Duration SHORT = Duration.ofMillis(500);
    private static final Duration BOUND = SHORT.multipliedBy(10);

    // ProxySQL's definition of the table (lib/ProxySQL_Admin_Tables_Definitions.h), in MariaDB's dialect.
    private static final String CHECKSUMS_TABLE = "CREATE TABLE stats.stats_proxysql_servers_checksums ("
            + " hostname VARCHAR(255) NOT NULL, port INT NOT NULL DEFAULT 6032, name VARCHAR(64) NOT NULL,"
            + " version INT NOT NULL, epoch INT NOT NULL, checksum VARCHAR(64) NOT NULL,"
            + " changed_at INT NOT NULL, updated_at INT NOT NULL, diff_check INT NOT NULL,"
            + " PRIMARY KEY (hostname, port, name))";

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb()
            .withUser(USER, PASSWORD, "SELECT ON stats.*");

    @BeforeAll
    static void createStatsTable() throws SQLException {
        MARIADB.execute("CREATE DATABASE stats", CHECKSUMS_TABLE);
    }

    @AfterEach
    void emptyStatsTable() throws SQLException {
        MARIADB.execute("DELETE FROM stats.stats_proxysql_servers_checksums");
    }

    @Test
    void closedPortIsConnectionRefused() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ProxySQLAdminClient client = new ProxySQLAdminClient(new AdminEndpoint("127.0.0.1", closedPort),
                new AdminCredentials(USER, PASSWORD), new AdminTimeouts(SHORT, SHORT));

        AdminResult<Duration> result = client.ping();

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.failure().kind()).isEqualTo(AdminFailureKind.CONNECTION_REFUSED);
        assertThat(result.failure().message()).contains("127.0.0.1:" + closedPort).doesNotContain(PASSWORD);
    }

    @Test
    void serverThatNeverGreetsTimesOutWithinTheBound() throws IOException {
        try (SilentTcpServer silent = new SilentTcpServer()) {
            ProxySQLAdminClient client = new ProxySQLAdminClient(new AdminEndpoint("127.0.0.1", silent.port()),
                    new AdminCredentials(USER, PASSWORD), new AdminTimeouts(SHORT, SHORT));

            // Preemptive: if the timeout never fired, the test fails at the bound instead of hanging, and
            // closing the silent server then releases the stuck call.
            AdminResult<RunningVersion> result = assertTimeoutPreemptively(BOUND, client::runningVersion);

            assertThat(result.isSuccess()).isFalse();
            assertThat(result.failure().kind()).as("%s", result).isEqualTo(AdminFailureKind.TIMEOUT);
            assertThat(result.failure().message()).startsWith("timed out connecting to").doesNotContain(PASSWORD);
            assertThat(silent.acceptedConnections()).as("the TCP connection was accepted; the handshake timed out").isEqualTo(1);
        }
    }

    @Test
    void queryThatGetsNoAnswerTimesOutWithinTheBound() throws SQLException {
        // A write lock held by another session makes the checksum SELECT wait: a server that accepted the
        // login and then stopped answering. Closing the locking session releases the lock even if the
        // assertion below fails, so no later test waits on it.
        try (Connection locker = MARIADB.connectAsSetupUser(); Statement lock = locker.createStatement()) {
            lock.execute("LOCK TABLES stats.stats_proxysql_servers_checksums WRITE");

            AdminResult<List<PeerChecksum>> result = assertTimeoutPreemptively(BOUND, client(USER, PASSWORD)::peerChecksums);

            assertThat(result.isSuccess()).isFalse();
            assertThat(result.failure().kind()).as("%s", result).isEqualTo(AdminFailureKind.TIMEOUT);
            assertThat(result.failure().message()).startsWith("timed out waiting for an answer from");
        }
    }

    /**
     * ProxySQL's admin module acknowledges only some SET statements without running them
     * (lib/ProxySQL_Admin.cpp, "fix bug #1047": a case-insensitive prefix match) and fails other
     * session-setup statements, which makes the driver drop the connection. This checks, in the server's
     * general log, every statement the client sent while connecting.
     */
    @Test
    void everyCallClosesItsConnectionAndConcurrentCallsDoNotInterfere() throws Exception {
        ProxySQLAdminClient client = client(USER, PASSWORD);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<AdminResult<?>>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(client::ping);
                calls.add(client::runningVersion);
                calls.add(client::peerChecksums);
            }
            for (Future<AdminResult<?>> call : pool.invokeAll(calls, 60, TimeUnit.SECONDS)) {
                AdminResult<?> result = call.get();
                assertThat(result.isSuccess()).as("%s", result).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }

        awaitNoSessionsOf(USER);
    }

    private static void awaitNoSessionsOf(String user) throws SQLException {
        // Closing is synchronous on the client side; the server notices the COM_QUIT a moment later.
        Instant deadline = Instant.now().plusSeconds(10);
        try (Connection connection = MARIADB.connectAsSetupUser();
                PreparedStatement count = connection.prepareStatement(
                        "SELECT COUNT(*) FROM information_schema.processlist WHERE user = ?")) {
            count.setString(1, user);
            long sessions;
            do {
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    sessions = rows.getLong(1);
                }
                if (sessions == 0) {
                    return;
                }
                Thread.onSpinWait();
            } while (Instant.now().isBefore(deadline));
            assertThat(sessions).as("server-side sessions of %s still open 10 s after all calls returned", user).isZero();
        }
    }

    private static ProxySQLAdminClient client(String user, String password) {
        return new ProxySQLAdminClient(new AdminEndpoint(LocalMariaDb.HOST, MARIADB.port()),
                new AdminCredentials(user, password), new AdminTimeouts(Duration.ofSeconds(5), SHORT));
    }
}
