package dev.proxysql.operator.provisioner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.proxysql.admin.MySqlUserRow;
import dev.proxysql.operator.proxysql.backend.BackendAccount;
import dev.proxysql.operator.proxysql.config.DeferredUser;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which users go into mysql_users, decided without a backend or ProxySQL (those are in UsersOnProxySqlIT). */
class UserPlanTest {
    private static final String HASH = "*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4";
    private static final Map<String, String> RESERVED = Map.of("admin", "ProxySQL's local admin user", "cluster", "ProxySQL's cluster user");

    @Test
    void declaredUsersTakeTheBackendsHashAndTheirColumnsAndMissingOnesAreProblems() {
        UserPlan.Plan plan = UserPlan.of(List.of(
                        new DeferredUser("shop", "spec.configuration.init.inline.mysqlUsers[0]", DeferredUser.PASSWORD_FROM_BACKEND,
                                Map.of("max_connections", 50)),
                        new DeferredUser("ghost", "spec.configuration.init.inline.mysqlUsers[1]", DeferredUser.PASSWORD_FROM_BACKEND),
                        new DeferredUser("admin", "spec.initConfig.mysqlUsers[0]", DeferredUser.PASSWORD_FROM_BACKEND)),
                false, List.of(native_("shop", "%"), native_("other", "%"), native_("admin", "%")), "db:3306", RESERVED, Set.of(), true);

        assertThat(plan.rows()).singleElement().satisfies(r -> {
            assertThat(r.username()).isEqualTo("shop");
            assertThat(r.passwordHex()).isEqualTo(hex(HASH));
            assertThat(r.columns()).containsEntry("max_connections", 50).containsEntry("default_hostgroup", 2)
                    .doesNotContainKey("comment");
        });
        assertThat(plan.problems()).extracting(UserPlan.Problem::reason).containsExactly(UserPlan.NOT_FOUND, UserPlan.COLLISION);
        assertThat(plan.problems().get(0).message()).startsWith("spec.configuration.init.inline.mysqlUsers[1]: user 'ghost' does not exist on backend db:3306");
        assertThat(plan.problems().get(1).message()).contains("spec.initConfig.mysqlUsers[0]: user 'admin' has the name of ProxySQL's local admin user");
    }

    @Test
    void syncTakesApplicationUsersOnlyAndRefusesAdminNames() {
        List<BackendAccount> accounts = List.of(
                native_("alice", "%"),
                native_("alice", "localhost"),
                native_("root", "%"),
                native_("mariadb.sys", "localhost"),
                native_("proxysql_1f0c2a9e", "%"),
                native_("proxysql", "%"),
                native_("kubedb_root", "%"),
                new BackendAccount("repl", "%", "mysql_native_password", hex(HASH), "", false, true, false),
                new BackendAccount("approle", "", "", "", "", true, false, false),
                new BackendAccount("locked", "%", "mysql_native_password", hex(HASH), "", false, false, true),
                new BackendAccount("nopass", "%", "mysql_native_password", "", "", false, false, false),
                new BackendAccount("socket", "%", "unix_socket", "", "", false, false, false),
                native_("localonly", "localhost"),
                native_("cluster", "%"));
        UserPlan.Plan plan = UserPlan.of(List.of(), true, accounts, "db:3306", RESERVED, Set.of("kubedb_root"), true);

        assertThat(plan.synced()).containsExactly("alice");
        assertThat(plan.rows()).singleElement().extracting(MySqlUserRow::columns)
                .isEqualTo(Map.of("default_hostgroup", 2, "comment", UserPlan.SYNC_COMMENT));
        assertThat(plan.problems()).singleElement().satisfies(p -> {
            assertThat(p.reason()).isEqualTo(UserPlan.COLLISION);
            assertThat(p.message()).contains("backend user 'cluster' has the name of ProxySQL's cluster user; not synced");
        });
    }

    /**
     * MySQL 8's caching_sha2_password hash is binary ($A$005$, a 20-byte salt, 43 characters): it is carried as hex.
     * Only a unit test: the local MariaDB 10.11 has no caching_sha2_password, so no integration test covers it.
     */
    @Test
    void cachingSha2HashesAreCarriedAsHexAndNeedProxySql26() {
        // MySQL's salt: 20 bytes in 1..127 other than '$', so a newline or a quote may be among them, never a NUL.
        String hash = hex("$A$005$" + "ab\n'cdefghijklmnopq" + "x".repeat(43));
        BackendAccount sha2 = new BackendAccount("app8", "%", "caching_sha2_password", hash, "", false, false, false);

        UserPlan.Plan newer = UserPlan.of(List.of(), true, List.of(sha2), "db:3306", RESERVED, Set.of(), true);
        assertThat(newer.rows()).singleElement().extracting(MySqlUserRow::passwordHex).isEqualTo(hash);

        BackendAccount withNul = new BackendAccount("nul8", "%", "caching_sha2_password", hex("$A$005$") + "00" + hex("x".repeat(62)),
                "", false, false, false);
        assertThat(UserPlan.of(List.of(), true, List.of(withNul), "db:3306", RESERVED, Set.of(), true).problems())
                .singleElement().satisfies(p -> assertThat(p.message()).contains("NUL byte"));

        UserPlan.Plan older = UserPlan.of(List.of(new DeferredUser("app8", "spec.configuration.init.inline.mysqlUsers[0]",
                DeferredUser.PASSWORD_FROM_BACKEND)), false, List.of(sha2), "db:3306", RESERVED, Set.of(), false);
        assertThat(older.rows()).isEmpty();
        assertThat(older.problems()).singleElement().satisfies(p -> assertThat(p.message())
                .contains("caching_sha2_password, whose hashes ProxySQL verifies only from 2.6 on"));
    }

    private static BackendAccount native_(String user, String host) {
        return new BackendAccount(user, host, "mysql_native_password", hex(HASH), HASH, false, false, false);
    }

    private static String hex(String ascii) {
        return HexFormat.of().withUpperCase().formatHex(ascii.getBytes(StandardCharsets.US_ASCII));
    }
}
