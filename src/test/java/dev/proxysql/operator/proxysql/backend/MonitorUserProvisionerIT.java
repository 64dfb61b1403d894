package dev.proxysql.operator.proxysql.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The monitor user against a real MariaDB: created with the monitor's grants and nothing more, usable for what
 * ProxySQL's monitor runs, unable to read application data, following password changes, idempotent, and failing with
 * a message that names the missing privilege (never a password) when the AppBinding's user may not create it.
 * Each test uses its own monitor username, as they share one server.
 */
class MonitorUserProvisionerIT {
    private static final String ADMIN = "kubedb_root";
    private static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final String NO_CREATE_USER = "app_only";
    private static final String NO_GRANT_OPTION = "creates_users";
    private static final String LIMITED_PASSWORD = "LimitedPw12345678";

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(ADMIN, ADMIN_PASSWORD)
            // An application's user. (Not INSERT ON *.*: that includes the mysql schema, and MariaDB lets a user with
            // INSERT on mysql.* run CREATE USER.)
            .withUser(NO_CREATE_USER, LIMITED_PASSWORD, "SELECT, INSERT, UPDATE, DELETE ON app.*")
            .withUser(NO_GRANT_OPTION, LIMITED_PASSWORD, "CREATE USER ON *.*", "REPLICATION CLIENT ON *.*", "SLAVE MONITOR ON *.*");

    private final MonitorUserProvisioner provisioner = MonitorUserProvisioner.withDefaultTimeouts();

    @BeforeAll
    static void createApplicationData() throws SQLException {
        MARIADB.execute("CREATE DATABASE IF NOT EXISTS app",
                "CREATE TABLE IF NOT EXISTS app.orders (id INT PRIMARY KEY, customer VARCHAR(64))",
                "INSERT IGNORE INTO app.orders VALUES (1, 'alice')");
    }

    @Test
    void groupReplicationMonitorGetsExactlyItsGrants() throws SQLException {
        MonitorUserResult result = ensure("mon_gr", "MonitorPw000000000001", BackendMode.GROUP_REPLICATION);

        assertThat(result.ensured()).as("%s", result).isTrue();
        assertThat(result.reason()).isEqualTo(MonitorUserResult.ENSURED);
        // MariaDB 10.5+ shows REPLICATION CLIENT by its new name, BINLOG MONITOR.
        assertThat(grants("mon_gr")).containsExactlyInAnyOrder(
                "GRANT BINLOG MONITOR, SLAVE MONITOR ON *.* TO `mon_gr`@`%`",
                "GRANT SELECT ON `sys`.* TO `mon_gr`@`%`",
                "GRANT SELECT ON `performance_schema`.* TO `mon_gr`@`%`");
    }

    @Test
    void aGaleraMonitorGetsOnlyPerformanceSchema() throws SQLException {
        assertThat(ensure("mon_galera", "MonitorPw000000000004", BackendMode.GALERA).ensured()).isTrue();

        assertThat(grants("mon_galera")).containsExactlyInAnyOrder("GRANT USAGE ON *.* TO `mon_galera`@`%`",
                "GRANT SELECT ON `performance_schema`.* TO `mon_galera`@`%`");
    }

    @Test
    void aStandaloneMonitorGetsNoSchemaGrants() throws SQLException {
        assertThat(ensure("mon_single", "MonitorPw000000000002", BackendMode.STANDALONE).ensured()).isTrue();

        assertThat(grants("mon_single")).containsExactly("GRANT BINLOG MONITOR, SLAVE MONITOR ON *.* TO `mon_single`@`%`");
    }

    @Test
    void theMonitorCanRunWhatProxySQLsMonitorRunsAndNothingElse() throws SQLException {
        String password = "MonitorPw000000000003";
        assertThat(ensure("mon_use", password, BackendMode.GROUP_REPLICATION).ensured()).isTrue();

        try (Connection c = connect("mon_use", password); Statement s = c.createStatement()) {
            assertThat(single(s, "SELECT 1")).isEqualTo("1");
            assertThat(single(s, "SELECT @@read_only")).isEqualTo("0");
            assertThat(rows(s, "SHOW SLAVE STATUS")).as("not a replica, but allowed").isZero();
            assertThat(rows(s, "SHOW REPLICA STATUS")).isZero();
            assertThat(single(s, "SELECT COUNT(*) >= 0 FROM performance_schema.global_status")).isEqualTo("1");

            assertThatThrownBy(() -> rows(s, "SELECT * FROM app.orders"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("SELECT command denied");
            assertThatThrownBy(() -> s.execute("INSERT INTO app.orders VALUES (2, 'mallory')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("INSERT command denied");
            assertThatThrownBy(() -> rows(s, "SELECT user, password FROM mysql.user"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("SELECT command denied");
        }
    }

    @Test
    void aChangedPasswordIsFollowedAndTheOldOneStopsWorking() throws SQLException {
        String first = "MonitorPw000000000004";
        String second = "MonitorPw000000000005";
        assertThat(ensure("mon_rotate", first, BackendMode.STANDALONE).ensured()).isTrue();
        connect("mon_rotate", first).close();

        assertThat(ensure("mon_rotate", second, BackendMode.STANDALONE).ensured()).isTrue();

        connect("mon_rotate", second).close();
        assertThatThrownBy(() -> connect("mon_rotate", first)).isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
    }

    @Test
    void ensuringTwiceIsIdempotent() throws SQLException {
        String password = "MonitorPw000000000006";
        MonitorUserResult first = ensure("mon_twice", password, BackendMode.GALERA);
        List<String> grantsAfterFirst = grants("mon_twice");

        MonitorUserResult second = ensure("mon_twice", password, BackendMode.GALERA);

        assertThat(first.ensured()).isTrue();
        assertThat(second).isEqualTo(first);
        assertThat(grants("mon_twice")).isEqualTo(grantsAfterFirst).containsExactlyInAnyOrder(
                "GRANT USAGE ON *.* TO `mon_twice`@`%`",
                "GRANT SELECT ON `performance_schema`.* TO `mon_twice`@`%`");
        connect("mon_twice", password).close();
    }

    @Test
    void anAppBindingUserWithoutCreateUserGetsAMessageNamingIt() throws SQLException {
        String monitorPassword = "MonitorPw000000000007";
        MonitorUserResult result = ensureAs(NO_CREATE_USER, LIMITED_PASSWORD, "mon_denied", monitorPassword);

        assertThat(result.ensured()).isFalse();
        assertThat(result.reason()).isEqualTo(MonitorUserResult.PRIVILEGE_MISSING);
        assertThat(result.message())
                .contains("'" + NO_CREATE_USER + "'", "127.0.0.1:" + MARIADB.port(), "create the user 'mon_denied'@'%'",
                        "needs the CREATE USER privilege")
                .doesNotContain(LIMITED_PASSWORD).doesNotContain(monitorPassword);
        assertThat(grants("mon_denied")).as("no user was created").isEmpty();
    }

    @Test
    void anAppBindingUserWithoutGrantOptionGetsAMessageNamingIt() {
        String monitorPassword = "MonitorPw000000000008";
        MonitorUserResult result = ensureAs(NO_GRANT_OPTION, LIMITED_PASSWORD, "mon_nogrant", monitorPassword);

        assertThat(result.ensured()).isFalse();
        assertThat(result.reason()).isEqualTo(MonitorUserResult.PRIVILEGE_MISSING);
        // MariaDB answers a GRANT without GRANT OPTION with ER_ACCESS_DENIED_ERROR, which reads like a failed login:
        // the message must say which privilege is missing.
        assertThat(result.message())
                .contains("'" + NO_GRANT_OPTION + "'", "grant REPLICATION CLIENT ON *.*",
                        "needs REPLICATION CLIENT ON *.* itself, WITH GRANT OPTION")
                .doesNotContain(LIMITED_PASSWORD).doesNotContain(monitorPassword);
    }

    @Test
    void aWrongAppBindingPasswordIsALoginRefusalWithoutThePassword() {
        String wrong = "WrongAdminPw0000000";
        MonitorUserResult result = ensureAs(ADMIN, wrong, "mon_wrong", "MonitorPw000000000009");

        assertThat(result.reason()).isEqualTo(MonitorUserResult.LOGIN_REFUSED);
        assertThat(result.message()).contains("refused the login", "'" + ADMIN + "'", "127.0.0.1:" + MARIADB.port())
                .doesNotContain(wrong).doesNotContain("MonitorPw000000000009");
    }

    @Test
    void unreachableBackendsFailFastWithTheirAddress() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        MonitorUserResult closed = provisioner.ensure(LocalMariaDb.HOST, closedPort, new Credentials(ADMIN, ADMIN_PASSWORD),
                new Credentials("proxysql", "MonitorPw000000000010"), MonitorGrant.forMode(BackendMode.STANDALONE));
        MonitorUserResult unknown = provisioner.ensure("mysql-server.no-such-namespace.svc", 3306, new Credentials(ADMIN, ADMIN_PASSWORD),
                new Credentials("proxysql", "MonitorPw000000000010"), MonitorGrant.forMode(BackendMode.STANDALONE));

        assertThat(closed.reason()).isEqualTo(MonitorUserResult.UNREACHABLE);
        assertThat(closed.message()).contains("127.0.0.1:" + closedPort, "refused the connection").doesNotContain(ADMIN_PASSWORD);
        assertThat(unknown.reason()).isEqualTo(MonitorUserResult.UNREACHABLE);
        assertThat(unknown.message()).contains("mysql-server.no-such-namespace.svc:3306", "unreachable").doesNotContain(ADMIN_PASSWORD);
    }

    @Test
    void aPasswordThatWouldNeedEscapingIsRefusedBeforeAnySqlIsSent() throws SQLException {
        String injected = "x', 'y') OR 1=1 -- ";
        MonitorUserResult result = ensureAs(ADMIN, ADMIN_PASSWORD, "mon_inject", injected);

        assertThat(result.reason()).isEqualTo(MonitorUserResult.INVALID_INPUT);
        assertThat(result.message()).contains("letters or digits").doesNotContain(injected);
        assertThat(grants("mon_inject")).isEmpty();
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private MonitorUserResult ensureAs(String login, String loginPassword, String user, String password) {
        return provisioner.ensure(LocalMariaDb.HOST, MARIADB.port(), new Credentials(login, loginPassword),
                new Credentials(user, password), MonitorGrant.forMode(BackendMode.STANDALONE));
    }

    private MonitorUserResult ensure(String user, String password, BackendMode mode) {
        return provisioner.ensure(LocalMariaDb.HOST, MARIADB.port(), new Credentials(ADMIN, ADMIN_PASSWORD),
                new Credentials(user, password), MonitorGrant.forMode(mode));
    }

    /** SHOW GRANTS without the password hash; empty when the user does not exist. */
    private static List<String> grants(String user) throws SQLException {
        List<String> grants = new ArrayList<>();
        try (Connection c = MARIADB.connectAsSetupUser(); Statement s = c.createStatement();
             ResultSet exists = s.executeQuery("SELECT COUNT(*) FROM mysql.user WHERE user = '" + user + "' AND host = '%'")) {
            exists.next();
            if (exists.getInt(1) == 0) {
                return grants;
            }
            try (ResultSet rows = s.executeQuery("SHOW GRANTS FOR '" + user + "'@'%'")) {
                while (rows.next()) {
                    grants.add(rows.getString(1).replaceFirst(" IDENTIFIED BY PASSWORD '[^']*'$", ""));
                }
            }
        }
        return grants;
    }

    private static Connection connect(String user, String password) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "5000");
        return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + LocalMariaDb.HOST + ":" + MARIADB.port() + "/", p);
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rows = s.executeQuery(sql)) {
            assertThat(rows.next()).as(sql).isTrue();
            return rows.getString(1);
        }
    }

    private static int rows(Statement s, String sql) throws SQLException {
        int n = 0;
        try (ResultSet rows = s.executeQuery(sql)) {
            while (rows.next()) {
                n++;
            }
        }
        return n;
    }
}
