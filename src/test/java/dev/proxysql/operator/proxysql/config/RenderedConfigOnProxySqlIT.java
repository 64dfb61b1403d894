package dev.proxysql.operator.proxysql.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.RenderedIntent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code proxysql.cnf} the provisioner renders, booted by real ProxySQL of every built version, for each backend
 * mode: what the running ProxySQL reports in its runtime tables is what the operator meant. A value ProxySQL refuses
 * in a config file is not an error there (it logs "Impossible to set variable" and keeps its default), so only this
 * comparison catches a rendered value that does not take.
 */
class RenderedConfigOnProxySqlIT {

    static final Credentials CLUSTER = new Credentials("cluster", "Xk3pQ9zLm2RtBoot");
    static final Credentials MONITOR = new Credentials("proxysql", "m0nitorPw7Boot");

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb()
            .withUser(MONITOR.username(), MONITOR.password(), "REPLICATION CLIENT ON *.*");

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    static Stream<Arguments> versionsAndModes() {
        return ProxySqlBuilds.versions().stream()
                .flatMap(v -> Stream.of(BackendMode.values()).map(m -> Arguments.of(v, m)));
    }

    @ParameterizedTest(name = "ProxySQL {0}, {1} backend")
    @MethodSource("versionsAndModes")
    void runningProxySqlReportsWhatWasRendered(String version, BackendMode mode) throws Exception {
        List<String> peers = ProxySqlPeers.stableDnsNames("proxy-server", "demo", 3);
        String cnf = ProxySqlCnfRenderer.render(customized(mode, MARIADB.port(), peers)).cnfOrThrow();
        // One pod of a 3-replica ProxySQL: the others need not run for this node to load what it was given.
        ProxySqlNode node = PROXYSQL.createCluster(version, cnf, peers).get(0).start();
        RenderedIntent intent = RenderedIntent.of(node.cnfText());

        try (AdminSession admin = node.session()) {
            assertThat(admin.value("SELECT @@version")).isEqualTo(ProxySqlBuilds.reportedVersion(version));
            assertThat(variableMismatches(admin, intent)).as("rendered variables that ProxySQL %s runs with another value", version)
                    .isEmpty();
            String hostgroupTable = switch (mode) {
                case GROUP_REPLICATION -> "mysql_group_replication_hostgroups";
                case GALERA -> "mysql_galera_hostgroups";
                case STANDALONE -> null;
            };
            for (String table : List.of("mysql_group_replication_hostgroups", "mysql_galera_hostgroups")) {
                List<Map<String, String>> runtime = admin.rows("SELECT * FROM runtime_" + table);
                if (table.equals(hostgroupTable)) {
                    assertThat(rowsNotFound(intent.table(table), runtime)).as("runtime_%s", table).isEmpty();
                    assertThat(runtime).hasSize(1);
                } else {
                    assertThat(runtime).as("runtime_%s must be empty for a %s backend", table, mode).isEmpty();
                }
            }
            // The configured servers; with role detection the monitor then moves them between hostgroups at runtime
            // (a plain MariaDB is neither a Group Replication nor a Galera member), so runtime is compared only
            // where there is no role detection.
            String servers = mode == BackendMode.STANDALONE ? "runtime_mysql_servers" : "mysql_servers";
            List<Map<String, String>> configured = admin.rows("SELECT * FROM " + servers);
            assertThat(rowsNotFound(intent.table("mysql_servers"), configured)).as(servers).isEmpty();
            assertThat(configured).as(servers).hasSameSizeAs(intent.table("mysql_servers"));

            List<Map<String, String>> proxies = admin.rows("SELECT * FROM runtime_proxysql_servers");
            assertThat(rowsNotFound(intent.table("proxysql_servers"), proxies)).as("runtime_proxysql_servers").isEmpty();
            assertThat(proxies).hasSize(3);

            List<Map<String, String>> rules = admin.rows("SELECT * FROM runtime_mysql_query_rules");
            assertThat(rowsNotFound(intent.table("mysql_query_rules"), rules)).as("runtime_mysql_query_rules").isEmpty();
            assertThat(rules).hasSameSizeAs(intent.table("mysql_query_rules"));

            // Users from the init Secret are loaded (frontend and backend rows at runtime: one row each in mysql_users).
            List<Map<String, String>> users = admin.rows("SELECT * FROM mysql_users");
            assertThat(rowsNotFound(intent.table("mysql_users"), users)).as("mysql_users").isEmpty();
            assertThat(users).hasSameSizeAs(intent.table("mysql_users"));
            assertThat(admin.rows("SELECT * FROM runtime_mysql_users WHERE username = 'shop'")).hasSize(2);
        }
    }

    /** A 3-replica ProxySQL with user variables, query rules and a Secret user, in front of the local MariaDB. */
    static ProxySqlConfigInput customized(BackendMode mode, int backendPort, List<String> peers) {
        Backend backend = new Backend(mode, List.of(new BackendServer(LocalMariaDb.HOST, backendPort, false)), null, null);
        Map<String, Object> mysqlVariables = new LinkedHashMap<>();
        mysqlVariables.put("max_connections", 1024);
        mysqlVariables.put("query_retries_on_failure", 2);
        mysqlVariables.put("multiplexing", false);
        mysqlVariables.put("monitor_ping_interval", 2000);
        Map<String, Object> adminVariables = new LinkedHashMap<>();
        adminVariables.put("refresh_interval", 2055);
        adminVariables.put("stats_mysql_connection_pool", 30);
        List<Map<String, Object>> rules = List.of(
                Map.of("rule_id", 1, "active", 1, "match_digest", "^SELECT .* FOR UPDATE$", "destination_hostgroup", 2,
                        "apply", 1),
                Map.of("rule_id", 2, "active", true, "match_digest", "^SELECT", "destination_hostgroup", 3, "apply", 1,
                        "comment", "reads go to the readers"));
        InitSecret secret = new InitSecret("proxy-server-init", Map.of(InitSecret.MYSQL_USERS_KEY,
                "mysql_users=(\n { username=\"shop\"; password=\"*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4\";"
                        + " default_hostgroup=2; active=1 }\n)\n"));
        return new ProxySqlConfigInput(CLUSTER, MONITOR, backend, peers,
                new InlineInitConfig(null, rules, mysqlVariables, adminVariables), secret);
    }

    /** "name: rendered X, running Y" for each rendered variable whose runtime value differs. */
    static List<String> variableMismatches(AdminSession admin, RenderedIntent intent) throws Exception {
        Map<String, String> running = new LinkedHashMap<>();
        for (Map<String, String> row : admin.rows("SELECT variable_name, variable_value FROM runtime_global_variables")) {
            running.put(row.get("variable_name"), row.get("variable_value"));
        }
        List<String> mismatches = new ArrayList<>();
        intent.variables().forEach((name, rendered) -> {
            String actual = running.get(name);
            if (!rendered.equals(actual)) {
                mismatches.add(name + ": rendered '" + rendered + "', running " + (actual == null ? "(no such variable)" : "'" + actual + "'"));
            }
        });
        return mismatches;
    }

    /** Rendered rows with no row in {@code actual} that has the same value in every rendered column. */
    static List<Map<String, String>> rowsNotFound(List<Map<String, String>> rendered, List<Map<String, String>> actual) {
        return rendered.stream()
                .filter(want -> actual.stream().noneMatch(row -> want.entrySet().stream()
                        .allMatch(e -> normalize(e.getValue()).equals(normalize(row.get(e.getKey()))))))
                .toList();
    }

    // Table columns are integers where the renderer wrote a boolean into an integer column (active=true -> 1).
    private static String normalize(String value) {
        if ("true".equals(value)) {
            return "1";
        }
        return "false".equals(value) ? "0" : String.valueOf(value);
    }
}
