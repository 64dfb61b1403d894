package dev.proxysql.operator.proxysql.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.IntStream;

/** Inputs for the golden files; each golden file is named after the method that builds its input. */
final class Scenarios {

    static final Credentials CLUSTER = new Credentials("cluster", "Xk3pQ9zLm2Rt");
    static final Credentials MONITOR = new Credentials("proxysql", "m0nitorPw7");

    private Scenarios() {
    }

    static List<BackendServer> podsOf(String db, String namespace, int count, boolean useSsl) {
        return IntStream.range(0, count)
                .mapToObj(i -> new BackendServer(db + "-" + i + "." + db + "-pods." + namespace + ".svc", 3306, useSsl))
                .toList();
    }

    static Backend groupReplication() {
        return new Backend(BackendMode.GROUP_REPLICATION, podsOf("mysql-server", "demo", 3, false), null, null);
    }

    /** One ProxySQL in front of MySQL Group Replication, nothing configured by the user. */
    static ProxySqlConfigInput singleReplicaGroupReplication() {
        return new ProxySqlConfigInput(CLUSTER, MONITOR, groupReplication(),
                ProxySqlPeers.stableDnsNames("proxy-server", "demo", 1), null, null);
    }

    /** A 3-node ProxySQL Cluster in front of Percona XtraDB over TLS, with user variables and query rules. */
    static ProxySqlConfigInput threeReplicasGaleraCustomized() {
        Backend galera = new Backend(BackendMode.GALERA, podsOf("xtradb", "demo", 3, true),
                BackendTls.mountedAt(BackendTls.KUBEDB_MOUNT_PATH), "8.0.36-28.1");
        Map<String, Object> mysqlVariables = new LinkedHashMap<>();
        mysqlVariables.put("max_connections", 1024);
        mysqlVariables.put("threads", 8);
        mysqlVariables.put("query_retries_on_failure", 2);
        mysqlVariables.put("multiplexing", false);
        Map<String, Object> adminVariables = new LinkedHashMap<>();
        adminVariables.put("refresh_interval", 2055);
        adminVariables.put("restapi_enabled", true);
        adminVariables.put("restapi_port", 6071);
        List<Map<String, Object>> rules = List.of(
                rule(3, Map.of("match_digest", "^SELECT", "destination_hostgroup", 3, "apply", 1, "active", 1,
                        "comment", "reads go to the readers")),
                rule(1, Map.of("match_digest", "^SELECT .* FOR UPDATE$", "destination_hostgroup", 2, "apply", 1,
                        "active", 1)),
                rule(2, Map.of("username", "reporting", "destination_hostgroup", 3, "active", true)));
        InlineInitConfig inline = new InlineInitConfig(null, rules, mysqlVariables, adminVariables);
        return new ProxySqlConfigInput(CLUSTER, MONITOR, galera,
                ProxySqlPeers.stableDnsNames("proxy-server", "demo", 3), inline, null);
    }

    /** Values that need libconfig quoting/escaping or a deliberate type choice. */
    static ProxySqlConfigInput oddValues() {
        Map<String, Object> mysqlVariables = new LinkedHashMap<>();
        mysqlVariables.put("default_schema", "back\\slash 'single' #hash //slashes /*c*/ ;semi");
        mysqlVariables.put("init_connect", "SET NAMES utf8mb4;\tSET @x='é ü 中'");
        mysqlVariables.put("eventslog_filename", "/var/lib/proxysql/events\nlog");
        mysqlVariables.put("max_allowed_packet", 5_000_000_000L);
        mysqlVariables.put("long_query_time", 0.5);
        mysqlVariables.put("throttle_ratio_server_to_client", -1);
        mysqlVariables.put("autocommit_false_is_transaction", "true");
        mysqlVariables.put("Poll_Timeout", 1500);
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("comment", "tab\there, newline\nthere, bell\u0007");
        rule.put("match_pattern", "^SELECT\\s+.*\\bFROM\\b\\s+`t`");
        rule.put("error_msg", "it's blocked");
        rule.put("replace_pattern", "\\1");
        rule.put("rule_id", "10");
        rule.put("active", true);
        rule.put("OK_MSG", "done");
        InlineInitConfig inline = new InlineInitConfig(null, List.of(rule), mysqlVariables, null);
        return new ProxySqlConfigInput(CLUSTER, MONITOR, groupReplication(),
                ProxySqlPeers.stableDnsNames("proxy-server", "demo", 1), inline, null);
    }

    /** Inline users cannot be rendered without a password; here in front of a standalone MySQL. */
    static ProxySqlConfigInput usersDeferred() {
        Backend standalone = new Backend(BackendMode.STANDALONE,
                List.of(new BackendServer("mysql.demo.svc", 3306, false)), null, "8.4.3");
        List<MySqlUser> users = List.of(
                new MySqlUser("app", 1, 0, 2, "shop", 0, 1, 0, 1, 1, 200, null, "application"),
                MySqlUser.named("reporting"));
        InlineInitConfig inline = new InlineInitConfig(users, null, null, null);
        return new ProxySqlConfigInput(CLUSTER, MONITOR, standalone,
                ProxySqlPeers.stableDnsNames("proxy-server", "demo", 1), inline, null);
    }

    /** Fragments from the init Secret, merged with inline values that take precedence. */
    static ProxySqlConfigInput secretFragmentsMerged() {
        Map<String, String> data = Map.of(
                InitSecret.MYSQL_VARIABLES_KEY, """
                        # from the user's Secret
                        mysql_variables=
                        {
                            max_connections=4096   // overridden inline
                            connect_timeout_server=20000;
                            server_version="8.0.36"
                            ping_timeout_server=5000000000   /* does not fit 32 bits */
                        }
                        """,
                InitSecret.ADMIN_VARIABLES_KEY, """
                        admin_variables = { refresh_interval = 3000; web_enabled = TRUE; }
                        """,
                InitSecret.MYSQL_USERS_KEY, """
                        mysql_users=
                        (
                            { username="shop"; password="*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4"; default_hostgroup=2; active=1 },
                            { username="analytics" ; default_hostgroup=3 },
                            { username="app" ; password="plain-but-written-by-the-user" }
                        )
                        """,
                InitSecret.MYSQL_QUERY_RULES_KEY, """
                        mysql_query_rules = (
                            { rule_id=5, match_digest="^SELECT", destination_hostgroup=3, apply=1 },
                            { rule_id=7, match_digest="^SHOW", destination_hostgroup=3, apply=1 }
                        );
                        """);
        Map<String, Object> mysqlVariables = new LinkedHashMap<>();
        mysqlVariables.put("max_connections", 1000);
        List<Map<String, Object>> rules = List.of(rule(7, Map.of("match_digest", "^SHOW TABLES", "destination_hostgroup", 2)));
        InlineInitConfig inline = new InlineInitConfig(List.of(MySqlUser.named("app")), rules, mysqlVariables, null);
        return new ProxySqlConfigInput(CLUSTER, MONITOR, groupReplication(),
                ProxySqlPeers.stableDnsNames("proxy-server", "demo", 2), inline,
                new InitSecret("proxysql-init", data));
    }

    static Map<String, Object> rule(int ruleId, Map<String, Object> columns) {
        Map<String, Object> rule = new LinkedHashMap<>(new TreeMap<>(columns));
        rule.put("rule_id", ruleId);
        return rule;
    }
}
