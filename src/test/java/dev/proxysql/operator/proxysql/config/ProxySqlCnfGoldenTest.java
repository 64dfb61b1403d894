package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParser;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.proxysql.operator.proxysql.config.CnfLookup.bool;
import static dev.proxysql.operator.proxysql.config.CnfLookup.integer;
import static dev.proxysql.operator.proxysql.config.CnfLookup.str;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders each scenario, compares it with its golden file, and reads it back to check the values
 * ProxySQL will see, with their types.
 */
class ProxySqlCnfGoldenTest {

    static final Map<String, Supplier<ProxySqlConfigInput>> SCENARIOS = scenarios();

    private static Map<String, Supplier<ProxySqlConfigInput>> scenarios() {
        Map<String, Supplier<ProxySqlConfigInput>> scenarios = new LinkedHashMap<>();
        scenarios.put("single-replica-group-replication", Scenarios::singleReplicaGroupReplication);
        scenarios.put("three-replicas-galera-customized", Scenarios::threeReplicasGaleraCustomized);
        scenarios.put("odd-values", Scenarios::oddValues);
        scenarios.put("users-deferred", Scenarios::usersDeferred);
        scenarios.put("secret-fragments-merged", Scenarios::secretFragmentsMerged);
        return Collections.unmodifiableMap(scenarios);
    }

    static Stream<String> scenarioNames() {
        return SCENARIOS.keySet().stream();
    }

    static String render(String scenario) {
        ProxySqlCnfResult result = ProxySqlCnfRenderer.render(SCENARIOS.get(scenario).get());
        assertThat(result.errors()).as(scenario).isEmpty();
        return result.cnfOrThrow();
    }

    @ParameterizedTest
    @MethodSource("scenarioNames")
    void matchesGoldenFile(String scenario) {
        GoldenFiles.assertMatches(scenario, render(scenario));
    }

    @ParameterizedTest
    @MethodSource("scenarioNames")
    void isAFixpointOfParseAndWrite(String scenario) {
        String cnf = render(scenario);
        Group root = LibconfigParser.parse(cnf).rootOrThrow();

        assertThat(LibconfigWriter.write(ProxySqlCnfRenderer.HEADER, root)).isEqualTo(cnf);
    }

    @ParameterizedTest
    @MethodSource("scenarioNames")
    void isIndependentOfInputMapOrder(String scenario) {
        ProxySqlConfigInput input = SCENARIOS.get(scenario).get();
        InlineInitConfig inline = input.inline();
        InlineInitConfig reversed = new InlineInitConfig(inline.mysqlUsers(),
                inline.mysqlQueryRules().stream().map(ProxySqlCnfGoldenTest::reversed).toList(),
                reversed(inline.mysqlVariables()), reversed(inline.adminVariables()));
        ProxySqlConfigInput shuffled = new ProxySqlConfigInput(input.clusterAdmin(), input.monitor(), input.backend(),
                input.proxySqlPeers(), reversed, input.initSecret());

        assertThat(ProxySqlCnfRenderer.render(shuffled).cnfOrThrow()).isEqualTo(render(scenario));
    }

    private static Map<String, Object> reversed(Map<String, Object> map) {
        List<String> keys = new java.util.ArrayList<>(map.keySet());
        Collections.reverse(keys);
        Map<String, Object> out = new LinkedHashMap<>();
        keys.forEach(k -> out.put(k, map.get(k)));
        return out;
    }

    @Test
    void singleReplicaHasKubeDbDefaultsAndNoPeers() {
        CnfLookup cnf = CnfLookup.parse(render("single-replica-group-replication"));

        assertThat(cnf.get("datadir")).isEqualTo(str("/var/lib/proxysql"));
        assertThat(cnf.get("admin_variables.admin_credentials")).isEqualTo(str("admin:admin;cluster:Xk3pQ9zLm2Rt"));
        assertThat(cnf.get("admin_variables.cluster_username")).isEqualTo(str("cluster"));
        assertThat(cnf.get("admin_variables.cluster_password")).isEqualTo(str("Xk3pQ9zLm2Rt"));
        assertThat(cnf.get("admin_variables.mysql_ifaces")).isEqualTo(str("0.0.0.0:6032"));
        assertThat(cnf.get("admin_variables.cluster_check_interval_ms")).isEqualTo(integer(200));
        assertThat(cnf.get("admin_variables.cluster_mysql_users_save_to_disk")).isEqualTo(bool(true));
        assertThat(cnf.get("admin_variables.cluster_proxysql_servers_diffs_before_sync")).isEqualTo(integer(3));
        assertThat(cnf.get("mysql_variables.threads")).isEqualTo(integer(4));
        assertThat(cnf.get("mysql_variables.max_connections")).isEqualTo(integer(2048));
        assertThat(cnf.get("mysql_variables.interfaces")).isEqualTo(str("0.0.0.0:6033"));
        assertThat(cnf.get("mysql_variables.server_version")).isEqualTo(str(MySqlVariableDefaults.DEFAULT_SERVER_VERSION));
        assertThat(cnf.get("mysql_variables.monitor_username")).isEqualTo(str("proxysql"));
        assertThat(cnf.get("mysql_variables.monitor_password")).isEqualTo(str("m0nitorPw7"));
        assertThat(cnf.get("mysql_variables.have_compress")).isEqualTo(bool(true));
        assertThat(((Group) cnf.get("mysql_variables")).get("ssl_p2s_ca")).as("no backend TLS").isEmpty();
        assertThat(cnf.has("proxysql_servers")).isFalse();
        assertThat(cnf.has("mysql_users")).isFalse();
        assertThat(cnf.has("mysql_query_rules")).isFalse();
    }

    @Test
    void groupReplicationListsEveryServerAsWriterAndReader() {
        CnfLookup cnf = CnfLookup.parse(render("single-replica-group-replication"));

        List<Group> servers = cnf.rows("mysql_servers");
        assertThat(servers).hasSize(6);
        assertThat(servers.stream().map(s -> s.get("hostgroup_id").orElseThrow()).toList())
                .containsExactly(integer(2), integer(2), integer(2), integer(3), integer(3), integer(3));
        assertThat(servers.get(0).get("hostname")).contains(str("mysql-server-0.mysql-server-pods.demo.svc"));
        assertThat(servers.get(0).get("port")).contains(integer(3306));
        assertThat(servers.get(0).get("use_ssl")).contains(integer(0));
        List<Group> hostgroups = cnf.rows("mysql_group_replication_hostgroups");
        assertThat(hostgroups).singleElement().isEqualTo(CnfLookup.parse("""
                g={ writer_hostgroup=2; backup_writer_hostgroup=4; reader_hostgroup=3; offline_hostgroup=1;
                    active=1; max_writers=1; writer_is_also_reader=1; max_transactions_behind=0 }
                """).get("g"));
        assertThat(cnf.has("mysql_galera_hostgroups")).isFalse();
    }

    @Test
    void clusterOfThreeGetsPeersGaleraTlsAndUserSettings() {
        CnfLookup cnf = CnfLookup.parse(render("three-replicas-galera-customized"));

        assertThat(cnf.rows("proxysql_servers")).extracting(g -> g.get("hostname").orElseThrow()).containsExactly(
                str("proxy-server-0.proxy-server-pods.demo.svc"),
                str("proxy-server-1.proxy-server-pods.demo.svc"),
                str("proxy-server-2.proxy-server-pods.demo.svc"));
        assertThat(cnf.rows("proxysql_servers")).allSatisfy(g -> {
            assertThat(g.get("port")).contains(integer(6032));
            assertThat(g.get("weight")).contains(integer(1));
        });
        assertThat(cnf.rows("mysql_galera_hostgroups")).singleElement()
                .satisfies(g -> assertThat(g.get("writer_is_also_reader")).contains(integer(1)));
        assertThat(cnf.has("mysql_group_replication_hostgroups")).isFalse();
        assertThat(cnf.rows("mysql_servers")).allSatisfy(s -> assertThat(s.get("use_ssl")).contains(integer(1)));
        assertThat(cnf.get("mysql_variables.ssl_p2s_ca")).isEqualTo(str("/var/lib/certs/ca.crt"));
        assertThat(cnf.get("mysql_variables.ssl_p2s_cert")).isEqualTo(str("/var/lib/certs/tls.crt"));
        assertThat(cnf.get("mysql_variables.ssl_p2s_key")).isEqualTo(str("/var/lib/certs/tls.key"));
        assertThat(cnf.get("mysql_variables.server_version")).isEqualTo(str("8.0.36-28.1"));
        assertThat(cnf.get("mysql_variables.max_connections")).isEqualTo(integer(1024));
        assertThat(cnf.get("mysql_variables.threads")).isEqualTo(integer(8));
        assertThat(cnf.get("mysql_variables.multiplexing")).isEqualTo(bool(false));
        assertThat(cnf.get("admin_variables.refresh_interval")).isEqualTo(integer(2055));
        assertThat(cnf.get("admin_variables.restapi_enabled")).isEqualTo(bool(true));
    }

    @Test
    void queryRulesAreSortedByRuleIdWithColumnsInProxySqlOrder() {
        CnfLookup cnf = CnfLookup.parse(render("three-replicas-galera-customized"));

        List<Group> rules = cnf.rows("mysql_query_rules");
        assertThat(rules).extracting(r -> r.get("rule_id").orElseThrow()).containsExactly(integer(1), integer(2), integer(3));
        assertThat(rules.get(2).settings()).extracting(s -> s.name())
                .containsExactly("rule_id", "active", "match_digest", "destination_hostgroup", "apply", "comment");
        assertThat(rules.get(1).get("active")).as("boolean becomes 1").contains(integer(1));
        assertThat(rules.get(0).get("match_digest")).contains(str("^SELECT .* FOR UPDATE$"));
    }

    @Test
    void oddValuesSurviveEscapingWithTheRightTypes() {
        CnfLookup cnf = CnfLookup.parse(render("odd-values"));

        assertThat(cnf.get("mysql_variables.default_schema"))
                .isEqualTo(str("back\\slash 'single' #hash //slashes /*c*/ ;semi"));
        assertThat(cnf.get("mysql_variables.init_connect")).isEqualTo(str("SET NAMES utf8mb4;\tSET @x='é ü 中'"));
        assertThat(cnf.get("mysql_variables.eventslog_filename")).isEqualTo(str("/var/lib/proxysql/events\nlog"));
        assertThat(cnf.get("mysql_variables.max_allowed_packet")).as("beyond 32 bits").isEqualTo(str("5000000000"));
        assertThat(cnf.get("mysql_variables.long_query_time")).as("fraction").isEqualTo(str("0.5"));
        assertThat(cnf.get("mysql_variables.throttle_ratio_server_to_client")).isEqualTo(integer(-1));
        assertThat(cnf.get("mysql_variables.autocommit_false_is_transaction")).isEqualTo(str("true"));
        assertThat(cnf.get("mysql_variables.poll_timeout")).as("matched case-insensitively").isEqualTo(integer(1500));
        Group rule = cnf.rows("mysql_query_rules").get(0);
        assertThat(rule.get("rule_id")).as("numeric string").contains(integer(10));
        assertThat(rule.get("match_pattern")).contains(str("^SELECT\\s+.*\\bFROM\\b\\s+`t`"));
        assertThat(rule.get("comment")).contains(str("tab\there, newline\nthere, bell\u0007"));
        assertThat(rule.get("OK_msg")).as("canonical column spelling").contains(str("done"));
        String text = render("odd-values");
        assertThat(text).contains("comment=\"tab\\there, newline\\nthere, bell\\x07\"");
        assertThat(text).contains("default_schema=\"back\\\\slash 'single' #hash //slashes /*c*/ ;semi\"");
    }

    @Test
    void inlineUsersAreDeferredAndNeverWritten() {
        ProxySqlCnfResult result = ProxySqlCnfRenderer.render(Scenarios.usersDeferred());
        CnfLookup cnf = CnfLookup.parse(result.cnfOrThrow());

        assertThat(cnf.has("mysql_users")).isFalse();
        assertThat(result.cnfOrThrow()).doesNotContain("\"app\"").doesNotContain("reporting");
        assertThat(result.deferredUsers()).containsExactly(
                new DeferredUser("app", "spec.configuration.init.inline.mysqlUsers[0]", DeferredUser.PASSWORD_FROM_BACKEND,
                        Map.ofEntries(Map.entry("active", 1), Map.entry("use_ssl", 0), Map.entry("default_hostgroup", 2),
                                Map.entry("default_schema", "shop"), Map.entry("schema_locked", 0),
                                Map.entry("transaction_persistent", 1), Map.entry("fast_forward", 0), Map.entry("backend", 1),
                                Map.entry("frontend", 1), Map.entry("max_connections", 200), Map.entry("comment", "application"))),
                new DeferredUser("reporting", "spec.configuration.init.inline.mysqlUsers[1]", DeferredUser.PASSWORD_FROM_BACKEND));
    }

    @Test
    void standaloneBackendHasOnlyTheWriterHostgroup() {
        CnfLookup cnf = CnfLookup.parse(render("users-deferred"));

        assertThat(cnf.rows("mysql_servers")).singleElement().satisfies(s -> {
            assertThat(s.get("hostgroup_id")).contains(integer(2));
            assertThat(s.get("hostname")).contains(str("mysql.demo.svc"));
        });
        assertThat(cnf.has("mysql_group_replication_hostgroups")).isFalse();
        assertThat(cnf.has("mysql_galera_hostgroups")).isFalse();
    }

    @Test
    void secretFragmentsAreMergedWithInlineTakingPrecedence() {
        ProxySqlCnfResult result = ProxySqlCnfRenderer.render(Scenarios.secretFragmentsMerged());
        CnfLookup cnf = CnfLookup.parse(result.cnfOrThrow());

        assertThat(cnf.get("mysql_variables.max_connections")).as("inline wins").isEqualTo(integer(1000));
        assertThat(cnf.get("mysql_variables.connect_timeout_server")).isEqualTo(integer(20000));
        assertThat(cnf.get("mysql_variables.server_version")).isEqualTo(str("8.0.36"));
        assertThat(cnf.get("mysql_variables.ping_timeout_server")).isEqualTo(str("5000000000"));
        assertThat(cnf.get("admin_variables.refresh_interval")).isEqualTo(integer(3000));
        assertThat(cnf.get("admin_variables.web_enabled")).isEqualTo(bool(true));
        assertThat(cnf.rows("mysql_users")).singleElement().satisfies(u -> {
            assertThat(u.get("username")).contains(str("shop"));
            assertThat(u.get("password")).contains(str("*6C8989366EAF75BB670AD8EA7A7FC1176A95CEF4"));
            assertThat(u.get("default_hostgroup")).contains(integer(2));
        });
        assertThat(result.deferredUsers()).extracting(DeferredUser::username).containsExactly("analytics", "app");
        assertThat(result.deferredUsers().get(0).columns()).as("a Secret user's declared columns go with it")
                .isEqualTo(Map.of("default_hostgroup", 3));
        List<Group> rules = cnf.rows("mysql_query_rules");
        assertThat(rules).extracting(r -> r.get("rule_id").orElseThrow()).containsExactly(integer(5), integer(7));
        assertThat(rules.get(1).get("match_digest")).as("inline rule 7 replaced the Secret's").contains(str("^SHOW TABLES"));
        assertThat(result.warnings()).extracting(ConfigWarning::toString).containsExactlyInAnyOrder(
                "spec.configuration.init.inline.mysqlVariables.max_connections: overrides the value set at"
                        + " spec.configuration.init.secretName(proxysql-init)/MySQLVariables.cnf/mysql_variables.max_connections",
                "spec.configuration.init.secretName(proxysql-init)/MySQLUsers.cnf/mysql_users[2]: replaced by the inline"
                        + " user at spec.configuration.init.inline.mysqlUsers[0]",
                "spec.configuration.init.inline.mysqlQueryRules[0]: replaces rule_id 7 from"
                        + " spec.configuration.init.secretName(proxysql-init)/MySQLQueryRules.cnf/mysql_query_rules[1]");
        assertThat(cnf.rows("proxysql_servers")).hasSize(2);
    }
}
