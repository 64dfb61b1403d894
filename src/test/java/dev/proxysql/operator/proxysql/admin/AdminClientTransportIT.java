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
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The client against a real MySQL-protocol server (a private MariaDB; ProxySQL itself is not packaged
 * for Debian) and against loopback ports that refuse or never answer.
 *
 * <p>MariaDB stands in for ProxySQL's admin module for the protocol, login and error paths. What it
 * cannot show is ProxySQL's answer to {@code SELECT @@version}; it answers with its own version, which
 * proves the query path end to end.
 */
class ProxySQLAdminClientIT {

    private static final String USER = "cluster";
    private static final String PASSWORD = "It-s3cret-Pw-42";
    private static final String SETUP_PROBE_USER = "setup_probe";

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
            .withUser(USER, PASSWORD, "SELECT ON stats.*")
            .withUser(SETUP_PROBE_USER, PASSWORD);

    @BeforeAll
    static void createStatsTable() throws SQLException {
        MARIADB.execute("CREATE DATABASE stats", CHECKSUMS_TABLE);
    }

    @AfterEach
    void emptyStatsTable() throws SQLException {
        MARIADB.execute("DELETE FROM stats.stats_proxysql_servers_checksums");
    }

    @Test
    void runningVersionIsWhatTheServerReportsForSelectVersion() throws SQLException {
        String serverVersion = singleString("SELECT @@version");

        AdminResult<RunningVersion> result = client(USER, PASSWORD).runningVersion();

        assertThat(result.isSuccess()).as("%s", result).isTrue();
        assertThat(result.value().raw()).isEqualTo(serverVersion);
        assertThat(serverVersion).startsWith(result.value().release() + "-"); // e.g. 10.11.19-MariaDB-0+deb12u1-log
    }

    @Test
    void pingLogsInAndRunsAQuery() {
        AdminResult<Duration> result = client(USER, PASSWORD).ping();

        assertThat(result.isSuccess()).as("%s", result).isTrue();
        assertThat(result.value()).isPositive();
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailureThatDoesNotQuoteThePassword() {
        String wrongPassword = "Wrong-Pw-7788";

        AdminResult<RunningVersion> result = client(USER, wrongPassword).runningVersion();

        assertThat(result.isSuccess()).isFalse();
        assertThat(result.failure().kind()).isEqualTo(AdminFailureKind.AUTHENTICATION_FAILED);
        assertThat(result.failure().message())
                .contains("'" + USER + "'", "127.0.0.1:" + MARIADB.port(), "Access denied")
                .doesNotContain(wrongPassword)
                .doesNotContain(PASSWORD);
        assertThat(result.toString()).doesNotContain(wrongPassword);
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

    @Test
    void missingTableIsAQueryFailure() throws SQLException {
        MARIADB.execute("RENAME TABLE stats.stats_proxysql_servers_checksums TO stats.renamed_away");
        try {
            AdminResult<List<PeerChecksum>> result = client(USER, PASSWORD).peerChecksums();

            assertThat(result.isSuccess()).isFalse();
            assertThat(result.failure().kind()).as("%s", result).isEqualTo(AdminFailureKind.QUERY_FAILED);
            assertThat(result.failure().message()).contains("stats_proxysql_servers_checksums");
        } finally {
            MARIADB.execute("RENAME TABLE stats.renamed_away TO stats.stats_proxysql_servers_checksums");
        }
    }

    @Test
    void peerChecksumsReadEveryColumn() throws SQLException {
        MARIADB.execute(
                "INSERT INTO stats.stats_proxysql_servers_checksums VALUES"
                        + " ('mysql-proxy-1.mysql-proxy-pods.demo', 6032, 'mysql_users', 3, 1764064800,"
                        + "  '0x1B2C3D4E5F607182', 1764064801, 1764068400, 0),"
                        + " ('mysql-proxy-0.mysql-proxy-pods.demo', 6032, 'mysql_users', 0, 0,"
                        + "  '0x0000000000000000', 0, 1764068399, 4)");

        AdminResult<List<PeerChecksum>> result = client(USER, PASSWORD).peerChecksums();

        assertThat(result.isSuccess()).as("%s", result).isTrue();
        assertThat(result.value()).containsExactly(
                new PeerChecksum("mysql-proxy-0.mysql-proxy-pods.demo", 6032, "mysql_users", 0, Instant.EPOCH,
                        "0x0000000000000000", Instant.EPOCH, Instant.ofEpochSecond(1764068399), 4),
                new PeerChecksum("mysql-proxy-1.mysql-proxy-pods.demo", 6032, "mysql_users", 3,
                        Instant.ofEpochSecond(1764064800), "0x1B2C3D4E5F607182", Instant.ofEpochSecond(1764064801),
                        Instant.ofEpochSecond(1764068400), 0));
    }

    /**
     * ProxySQL's admin module acknowledges only some SET statements without running them
     * (lib/ProxySQL_Admin.cpp, "fix bug #1047": a case-insensitive prefix match) and fails other
     * session-setup statements, which makes the driver drop the connection. This checks, in the server's
     * general log, every statement the client sent while connecting.
     */
    @Test
    void connectingSendsOnlyStatementsTheAdminModuleAcknowledges() throws SQLException {
        AdminResult<RunningVersion> result = client(SETUP_PROBE_USER, PASSWORD).runningVersion();
        assertThat(result.isSuccess()).as("%s", result).isTrue();

        List<String> sent = statementsSentBy(SETUP_PROBE_USER);

        assertThat(sent).contains(ProxySQLAdminClient.VERSION_QUERY);
        assertThat(sent).allSatisfy(statement -> assertThat(
                statement.equals(ProxySQLAdminClient.VERSION_QUERY) || acknowledgedByAdminModule(statement))
                .as("statement not acknowledged by ProxySQL's admin module: %s", statement)
                .isTrue());
    }

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

    private static boolean acknowledgedByAdminModule(String statement) {
        String normalized = statement.strip().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        // "SET SESSION" also acknowledges "set session_track_system_variables = ...", which Connector/J
        // sends when the server announces session tracking, as ProxySQL does: ProxySQL compares prefixes.
        return Stream.of("SET CHARACTER_SET_RESULTS", "SET SQL_AUTO_IS_NULL", "SET NAMES", "SET SESSION",
                "SET WAIT_TIMEOUT").anyMatch(normalized::startsWith);
    }

    private static List<String> statementsSentBy(String user) throws SQLException {
        try (Connection connection = MARIADB.connectAsSetupUser();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT CONVERT(argument USING utf8mb4) FROM mysql.general_log"
                                + " WHERE command_type = 'Query' AND thread_id IN ("
                                + "   SELECT thread_id FROM mysql.general_log"
                                + "   WHERE command_type = 'Connect' AND CONVERT(argument USING utf8mb4) LIKE ?)"
                                + " ORDER BY event_time")) {
            query.setString(1, user + "@%");
            List<String> statements = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    statements.add(rows.getString(1));
                }
            }
            return statements;
        }
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

    private static String singleString(String sql) throws SQLException {
        try (Connection connection = MARIADB.connectAsSetupUser();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as("a row from %s", sql).isTrue();
            return rows.getString(1);
        }
    }

    private static ProxySQLAdminClient client(String user, String password) {
        return new ProxySQLAdminClient(new AdminEndpoint(LocalMariaDb.HOST, MARIADB.port()),
                new AdminCredentials(user, password), new AdminTimeouts(Duration.ofSeconds(5), SHORT));
    }
}
