package dev.proxysql.operator.proxysql.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.TestConfigs;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MySqlUsersTable} against real ProxySQL, and the ProxySQL behaviour it relies on: rows written through the
 * admin interface, loaded and saved, survive a restart with the datadir; an unchanged table is not written again;
 * a binary (caching_sha2_password) hash goes in and comes back byte for byte; a user named like an admin user locks
 * that admin out, which is why the provisioner never writes one.
 */
class MySqlUsersTableIT {
    private static final String NATIVE = "*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4";
    private static final String OWNED = "synced by the test";

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void rowsAreWrittenOnceSurviveARestartAndOnlyOwnedOnesAreRemoved(String version) throws Exception {
        ProxySqlNode node = PROXYSQL.start(version, TestConfigs.standalone(3306, 1));
        try (AdminSession admin = node.session()) {
            admin.execute("INSERT INTO mysql_users (username, password, comment) VALUES ('someone', 'x', 'a person''s')",
                    "LOAD MYSQL USERS TO RUNTIME");
        }
        // As MySQL stores it: $A$005$, a salt of 20 bytes in 1..127 other than '$' (a newline and a quote among them),
        // 43 characters of digest.
        byte[] sha2 = ("$A$005$" + "ab\n'cdefghijklmnopq" + "d".repeat(43)).getBytes(StandardCharsets.US_ASCII);
        String sha2Hex = HexFormat.of().withUpperCase().formatHex(sha2);
        List<MySqlUserRow> rows = List.of(
                new MySqlUserRow("shop", hex(NATIVE), Map.of("default_hostgroup", 2, "max_connections", 50)),
                new MySqlUserRow("app8", sha2Hex, Map.of("default_hostgroup", 2, "comment", OWNED)),
                new MySqlUserRow("old", hex(NATIVE), Map.of("comment", OWNED)));

        assertThat(table(node).apply(rows, OWNED).value().added()).containsExactly("shop", "app8", "old");
        assertThat(table(node).apply(rows, OWNED).value().changed()).as("an unchanged table is not written again").isFalse();

        node.stop();
        node.start();
        assertThat(runtimeUsers(node)).as("after a restart with the datadir (loaded from proxysql.db)")
                .containsEntry("shop", hex(NATIVE)).containsEntry("app8", sha2Hex).containsEntry("old", hex(NATIVE))
                .containsKey("someone");

        MySqlUsersTable.Applied applied = table(node).apply(rows.subList(0, 2), OWNED).value();
        assertThat(applied.removed()).containsExactly("old");
        assertThat(runtimeUsers(node)).containsOnlyKeys("shop", "app8", "someone");
    }

    /**
     * ProxySQL takes a mysql_users row named like a user of admin-admin_credentials without any error, at INSERT and at
     * LOAD MYSQL USERS TO RUNTIME, and from then on refuses that admin's login with its right password ("Access
     * denied"); with SAVE ... TO DISK it stays so after a restart. Its documentation does not say so.
     */
    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void aMysqlUserNamedLikeTheClusterAdminLocksTheAdminOut(String version) throws Exception {
        ProxySqlNode node = PROXYSQL.start(version, TestConfigs.standalone(3306, 1));
        try (AdminSession admin = node.session()) {
            admin.execute("INSERT INTO mysql_users (username, password) VALUES ('" + TestConfigs.CLUSTER.username() + "', '" + NATIVE + "')",
                    "LOAD MYSQL USERS TO RUNTIME");
        }
        assertThatThrownBy(node::session).isInstanceOf(SQLException.class).hasMessageContaining("Access denied");
        assertThat(MySqlUsersTable.refusal(new MySqlUserRow("cluster", hex(NATIVE), Map.of()))).as("the table itself does not refuse"
                + " the name: the plan does (UserPlan)").isNull();
    }

    /**
     * A NUL byte in mysql_users.password is kept by the admin table (SQLite) but cut at LOAD TO RUNTIME; the operator
     * therefore refuses such a hash (MySQL's caching_sha2 salts never contain one).
     */
    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void runtimeCutsAPasswordAtItsFirstNulByte(String version) throws Exception {
        ProxySqlNode node = PROXYSQL.start(version, TestConfigs.standalone(3306, 1));
        try (AdminSession admin = node.session()) {
            admin.execute("INSERT INTO mysql_users (username, password) VALUES ('nul', UNHEX('2441240041'))", "LOAD MYSQL USERS TO RUNTIME");
            assertThat(admin.value("SELECT HEX(password) FROM mysql_users WHERE username = 'nul'")).isEqualTo("2441240041");
        }
        assertThat(runtimeUsers(node)).containsEntry("nul", "244124");
        assertThat(MySqlUsersTable.refusal(new MySqlUserRow("nul", "2441240041", Map.of()))).contains("NUL");
    }

    private static MySqlUsersTable table(ProxySqlNode node) {
        return new MySqlUsersTable(node.adminEndpoint(), node.adminCredentials(), AdminTimeouts.DEFAULT);
    }

    private static Map<String, String> runtimeUsers(ProxySqlNode node) throws SQLException {
        try (AdminSession admin = node.session()) {
            return admin.rows("SELECT username, HEX(password) AS p FROM runtime_mysql_users WHERE frontend = 1").stream()
                    .collect(Collectors.toMap(r -> r.get("username"), r -> r.get("p")));
        }
    }

    private static String hex(String ascii) {
        return HexFormat.of().withUpperCase().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
