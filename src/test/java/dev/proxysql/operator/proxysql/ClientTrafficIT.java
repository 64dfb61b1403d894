package dev.proxysql.operator.proxysql;

import dev.proxysql.operator.testing.proxysql.TestConfigs;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.proxysql.config.Backend;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.BackendServer;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.InitSecret;
import dev.proxysql.operator.proxysql.config.InlineInitConfig;
import dev.proxysql.operator.proxysql.config.MySqlVariableDefaults;
import dev.proxysql.operator.proxysql.config.ProxySqlCnfRenderer;
import dev.proxysql.operator.proxysql.config.ProxySqlConfigInput;
import dev.proxysql.operator.proxysql.config.ProxySqlPeers;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An application connects <b>through</b> real ProxySQL (port 6033) as a user of the rendered {@code mysql_users},
 * writes and reads rows on the MariaDB backend, and each statement is routed to the hostgroup the rendered query
 * rules name (ProxySQL's own per-digest and per-rule statistics say so).
 *
 * <p>The backend is announced to clients as MariaDB ({@code mysql-server_version}, as the provisioner renders it for a
 * MariaDB AppBinding): announced as MySQL 8, every Connector/J connection failed at its first statement.
 */
class ClientTrafficIT {

    private static final Credentials CLUSTER = new Credentials("cluster", "Traffic-Pw-0042");
    private static final Credentials MONITOR = new Credentials("proxysql", "Monitor-Pw-0042");
    private static final String APP_USER = "shop";
    private static final String APP_PASSWORD = "Shop-Pw-0042";

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb()
            .withUser(MONITOR.username(), MONITOR.password())
            .withInitStatement("CREATE DATABASE IF NOT EXISTS shop")
            .withUser(APP_USER, APP_PASSWORD, "ALL PRIVILEGES ON shop.*");

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();


    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void applicationReadsAndWritesThroughProxySqlRoutedByTheRenderedRules(String version) throws Exception {
        ProxySqlNode node = PROXYSQL.start(version, render());
        String table = "orders_" + version.replace('.', '_');

        try (Connection app = clientConnection(node); Statement sql = app.createStatement()) {
            sql.execute("CREATE TABLE shop." + table + " (id INT PRIMARY KEY, item VARCHAR(40))");
            sql.executeUpdate("INSERT INTO shop." + table + " VALUES (1, 'book'), (2, 'lamp')");
            try (ResultSet rows = sql.executeQuery("SELECT item FROM shop." + table + " WHERE id = 2")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("lamp");
            }
            try (ResultSet server = sql.executeQuery("SELECT @@port")) {
                server.next();
                assertThat(server.getInt(1)).as("the query reached the MariaDB backend").isEqualTo(MARIADB.port());
            }
        }
        // The rows are really on the backend, not somewhere in ProxySQL.
        try (Connection direct = MARIADB.connectAsSetupUser(); Statement sql = direct.createStatement();
                ResultSet rows = sql.executeQuery("SELECT COUNT(*) FROM shop." + table)) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(2);
        }

        try (AdminSession admin = node.session()) {
            // Each worker thread adds its rule hits to the global counters in its once-a-second maintenance loop
            // (lib/MySQL_Thread.cpp), so the count shows up with a delay.
            Await.until(Duration.ofSeconds(10), "hits on the rendered rule for reads (rule_id 10)",
                    () -> value(admin, "SELECT hits FROM stats_mysql_query_rules WHERE rule_id = 10"),
                    hits -> hits != null && Integer.parseInt(hits) >= 2);
            List<Map<String, String>> digests = admin.rows("SELECT hostgroup, digest_text FROM stats_mysql_query_digest"
                    + " WHERE username = '" + APP_USER + "'");
            assertThat(digests).as("every statement of the application went to the writer hostgroup 2")
                    .isNotEmpty()
                    .allSatisfy(d -> assertThat(d.get("hostgroup")).as("%s", d).isEqualTo("2"));
            assertThat(digests).anySatisfy(d -> assertThat(d.get("digest_text")).startsWith("INSERT INTO shop."));
            assertThat(digests).anySatisfy(d -> assertThat(d.get("digest_text")).startsWith("SELECT item FROM shop."));
        }
    }

    private static String value(AdminSession admin, String sql) {
        try {
            return admin.value(sql);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Connection clientConnection(ProxySqlNode node) throws Exception {
        return node.connectAsClient(APP_USER, APP_PASSWORD, Map.of());
    }

    /**
     * A standalone backend; the application user comes from the init Secret with the hash the backend stores (as
     * KubeDB users do), and a query rule sends reads to the writer hostgroup explicitly.
     */
    private static String render() throws Exception {
        // As the provisioner maps an AppBinding of type kubedb.com/mariadb with the server's version.
        String serverVersion = MySqlVariableDefaults.clientFacingVersion("kubedb.com/mariadb", backendVersion());
        Backend backend = new Backend(BackendMode.STANDALONE,
                List.of(new BackendServer(LocalMariaDb.HOST, MARIADB.port(), false)), null, serverVersion);
        InitSecret users = new InitSecret("shop-users", Map.of(InitSecret.MYSQL_USERS_KEY,
                "mysql_users=(\n { username=\"" + APP_USER + "\"; password=\"" + nativePasswordHash(APP_PASSWORD)
                        + "\"; default_hostgroup=2; active=1 }\n)\n"));
        List<Map<String, Object>> rules = List.of(
                Map.of("rule_id", 10, "active", 1, "match_digest", "^SELECT", "destination_hostgroup", 2, "apply", 1));
        return ProxySqlCnfRenderer.render(new ProxySqlConfigInput(CLUSTER, MONITOR, backend,
                ProxySqlPeers.stableDnsNames("proxy-server", "demo", 1), new InlineInitConfig(null, rules, null, null),
                users)).cnfOrThrow();
    }

    /** The backend's version as KubeDB's AppBinding states it: the bare release (10.11.19). */
    private static String backendVersion() throws Exception {
        try (Connection c = MARIADB.connectAsSetupUser(); Statement sql = c.createStatement();
                ResultSet rs = sql.executeQuery("SELECT @@version")) {
            rs.next();
            return rs.getString(1).replaceFirst("-.*", "");
        }
    }

    /** MySQL's mysql_native_password hash, as mysql.user stores it: '*' + hex(SHA1(SHA1(password))). */
    static String nativePasswordHash(String password) throws Exception {
        return TestConfigs.nativePasswordHash(password);
    }
}
