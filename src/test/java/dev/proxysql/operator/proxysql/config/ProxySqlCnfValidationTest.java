package dev.proxysql.operator.proxysql.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.proxysql.operator.proxysql.config.Scenarios.CLUSTER;
import static dev.proxysql.operator.proxysql.config.Scenarios.MONITOR;
import static dev.proxysql.operator.proxysql.config.Scenarios.groupReplication;
import static dev.proxysql.operator.proxysql.config.Scenarios.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** User mistakes come back as errors naming the field; nothing is rendered and nothing throws. */
class ProxySqlCnfValidationTest {

    private static ProxySqlConfigInput withInline(InlineInitConfig inline) {
        return new ProxySqlConfigInput(CLUSTER, MONITOR, groupReplication(), List.of(), inline, null);
    }

    private static ProxySqlConfigInput withMysqlVariables(Map<String, Object> variables) {
        return withInline(new InlineInitConfig(null, null, variables, null));
    }

    private static ProxySqlConfigInput withAdminVariables(Map<String, Object> variables) {
        return withInline(new InlineInitConfig(null, null, null, variables));
    }

    private static ProxySqlConfigInput withRules(List<Map<String, Object>> rules) {
        return withInline(new InlineInitConfig(null, rules, null, null));
    }

    private static ProxySqlConfigInput withSecret(Map<String, String> data) {
        return new ProxySqlConfigInput(CLUSTER, MONITOR, groupReplication(), List.of(), null,
                new InitSecret("init", data));
    }

    private static List<String> errors(ProxySqlConfigInput input) {
        ProxySqlCnfResult result = ProxySqlCnfRenderer.render(input);
        assertThat(result.isValid()).as("expected errors, got a cnf").isFalse();
        assertThat(result.cnf()).isEmpty();
        return result.errors().stream().map(ConfigError::toString).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin_credentials", "mysql_ifaces", "cluster_username", "cluster_password", "Admin_Credentials"})
    void protectedAdminVariablesAreRejected(String name) {
        assertThat(errors(withAdminVariables(Map.of(name, "x")))).containsExactly(
                "spec.configuration.init.inline.adminVariables." + name + ": 'admin-" + name
                        + "' is managed by the operator and cannot be set");
    }

    @ParameterizedTest
    @ValueSource(strings = {"interfaces", "monitor_username", "monitor_password", "ssl_p2s_cert", "ssl_p2s_key",
            "ssl_p2s_ca", "ssl_p2s_cipher", "INTERFACES"})
    void protectedMysqlVariablesAreRejected(String name) {
        assertThat(errors(withMysqlVariables(Map.of(name, "x")))).containsExactly(
                "spec.configuration.init.inline.mysqlVariables." + name + ": 'mysql-" + name
                        + "' is managed by the operator and cannot be set");
    }

    @Test
    void protectedVariablesFromTheSecretAreRejectedToo() {
        assertThat(errors(withSecret(Map.of(InitSecret.MYSQL_VARIABLES_KEY,
                "mysql_variables={ interfaces=\"0.0.0.0:3306\" }")))).containsExactly(
                "spec.configuration.init.secretName(init)/MySQLVariables.cnf/mysql_variables.interfaces:"
                        + " 'mysql-interfaces' is managed by the operator and cannot be set");
    }

    @Test
    void prefixedNamesAreRejectedBecauseProxySqlAddsThePrefix() {
        assertThat(errors(withMysqlVariables(Map.of("mysql-threads", 8)))).containsExactly(
                "spec.configuration.init.inline.mysqlVariables.mysql-threads: write 'threads' without the 'mysql-'"
                        + " prefix; ProxySQL adds it to every name in mysql_variables");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1threads", "max connections", "a*b", "*a", "", "naïve", "x=y"})
    void invalidNamesAreRejectedByName(String name) {
        assertThat(errors(withAdminVariables(Map.of(name, 1)))).singleElement().asString()
                .startsWith("spec.configuration.init.inline.adminVariables." + name + ": invalid variable name '"
                        + name + "'");
    }

    @Test
    void nestedAndNullValuesAreRejectedByName() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("nested", Map.of("a", 1));
        variables.put("listed", List.of(1, 2));
        variables.put("nothing", null);
        variables.put("nan", Double.NaN);

        assertThat(errors(withMysqlVariables(variables))).containsExactly(
                "spec.configuration.init.inline.mysqlVariables.nested: nested objects are not allowed;"
                        + " a variable must be a string, number or boolean",
                "spec.configuration.init.inline.mysqlVariables.listed: lists are not allowed;"
                        + " a variable must be a string, number or boolean",
                "spec.configuration.init.inline.mysqlVariables.nothing: the value is null;"
                        + " a variable must be a string, number or boolean",
                "spec.configuration.init.inline.mysqlVariables.nan: the number NaN cannot be written to proxysql.cnf");
    }

    @Test
    void namesDifferingOnlyInCaseAreDuplicates() {
        Map<String, Object> variables = new LinkedHashMap<>();
        variables.put("restapi_port", 1);
        variables.put("RESTAPI_PORT", 2);

        assertThat(errors(withAdminVariables(variables))).containsExactly(
                "spec.configuration.init.inline.adminVariables.RESTAPI_PORT: duplicates 'restapi_port'"
                        + " (variable names are case-insensitive)");
    }

    @Test
    void doubleQuotesThatProxySqlCannotLoadAreRejected() {
        assertThat(errors(withMysqlVariables(Map.of("init_connect", "SET x=\"y\"")))).singleElement().asString()
                .startsWith("spec.configuration.init.inline.mysqlVariables.init_connect: contains the character \",");
        assertThat(errors(withRules(List.of(rule(1, Map.of("match_pattern", "say \"hi\""))))))
                .singleElement().asString()
                .startsWith("spec.configuration.init.inline.mysqlQueryRules[0].match_pattern: contains the character \",");
    }

    @Test
    void ruleWithoutRuleIdIsReportedWithItsIndex() {
        List<Map<String, Object>> rules = List.of(
                rule(1, Map.of("match_digest", "^SELECT")),
                Map.of("match_digest", "^UPDATE", "destination_hostgroup", 2));

        assertThat(errors(withRules(rules))).containsExactly(
                "spec.configuration.init.inline.mysqlQueryRules[1].rule_id: is required");
    }

    @Test
    void duplicateRuleIdsAreRejected() {
        assertThat(errors(withRules(List.of(rule(4, Map.of("apply", 1)), rule(4, Map.of("apply", 0))))))
                .containsExactly("spec.configuration.init.inline.mysqlQueryRules[1].rule_id: duplicate rule_id 4"
                        + " (also used by spec.configuration.init.inline.mysqlQueryRules[0])");
    }

    @Test
    void ruleCellsMustBeKnownColumnsOfTheRightType() {
        Map<String, Object> cells = new LinkedHashMap<>();
        cells.put("destination_hostgroups", 2);
        cells.put("destination_hostgroup", "two");
        cells.put("apply", 1.5);
        cells.put("match_digest", Map.of("regex", "x"));
        cells.put("rule_id", 9_000_000_000L);

        assertThat(errors(withRules(List.of(cells)))).containsExactly(
                "spec.configuration.init.inline.mysqlQueryRules[0].destination_hostgroups: unknown mysql_query_rules"
                        + " column 'destination_hostgroups'",
                "spec.configuration.init.inline.mysqlQueryRules[0].destination_hostgroup: the string \"two\" is not"
                        + " allowed here; expected a 32-bit integer",
                "spec.configuration.init.inline.mysqlQueryRules[0].apply: a Double (1.5) is not allowed here;"
                        + " expected a 32-bit integer",
                "spec.configuration.init.inline.mysqlQueryRules[0].match_digest: nested objects are not allowed;"
                        + " expected a string",
                "spec.configuration.init.inline.mysqlQueryRules[0].rule_id: a Long (9000000000) is not allowed here;"
                        + " expected a 32-bit integer");
    }

    @Test
    void inlineUsersNeedAUsername() {
        List<MySqlUser> users = new java.util.ArrayList<>();
        users.add(MySqlUser.named("ok"));
        users.add(MySqlUser.named(" "));
        users.add(null);
        users.add(MySqlUser.named("ok"));

        assertThat(errors(withInline(new InlineInitConfig(users, null, null, null)))).containsExactly(
                "spec.configuration.init.inline.mysqlUsers[1].username: is required",
                "spec.configuration.init.inline.mysqlUsers[2].username: is required",
                "spec.configuration.init.inline.mysqlUsers[3].username: user 'ok' is already defined at"
                        + " spec.configuration.init.inline.mysqlUsers[0]");
    }

    @Test
    void secretFragmentSyntaxErrorsNameKeyLineAndColumn() {
        assertThat(errors(withSecret(Map.of(InitSecret.MYSQL_VARIABLES_KEY, "mysql_variables=\n{\n  threads=4\n")))).containsExactly(
                "spec.configuration.init.secretName(init)/MySQLVariables.cnf: not valid libconfig: line 4, column 1:"
                        + " missing '}' before the end of the text");
        assertThat(errors(withSecret(Map.of(InitSecret.MYSQL_QUERY_RULES_KEY,
                "mysql_query_rules=( { rule_id=1 }, )")))).containsExactly(
                "spec.configuration.init.secretName(init)/MySQLQueryRules.cnf: not valid libconfig: line 1, column 36:"
                        + " a trailing ',' before ')' is not allowed");
    }

    @Test
    void secretFragmentsMayOnlyDefineTheirOwnSection() {
        Map<String, String> data = new HashMap<>();
        data.put("proxysql.cnf", "datadir=\"/tmp\"");
        data.put(InitSecret.ADMIN_VARIABLES_KEY, "admin_variables={}\nmysql_variables={ threads=2 }");
        data.put(InitSecret.MYSQL_VARIABLES_KEY, "threads=2");
        data.put(InitSecret.MYSQL_USERS_KEY, "mysql_users={ username=\"x\" }");
        data.put(InitSecret.MYSQL_QUERY_RULES_KEY, "mysql_query_rules=( 1 )");

        assertThat(errors(withSecret(data))).containsExactlyInAnyOrder(
                "spec.configuration.init.secretName(init)/proxysql.cnf: unsupported key 'proxysql.cnf'; allowed keys are"
                        + " AdminVariables.cnf, MySQLVariables.cnf, MySQLUsers.cnf, MySQLQueryRules.cnf",
                "spec.configuration.init.secretName(init)/AdminVariables.cnf: may only define 'admin_variables',"
                        + " but defines 'mysql_variables'",
                "spec.configuration.init.secretName(init)/MySQLVariables.cnf: may only define 'mysql_variables',"
                        + " but defines 'threads'",
                "spec.configuration.init.secretName(init)/MySQLUsers.cnf/mysql_users: must be a list of groups:"
                        + " mysql_users=( { ... }, { ... } )",
                "spec.configuration.init.secretName(init)/MySQLQueryRules.cnf/mysql_query_rules[0]: must be a group"
                        + " { column=value ... }");
    }

    @Test
    void secretUsersAreCheckedForCharactersProxySqlCannotLoad() {
        assertThat(errors(withSecret(Map.of(InitSecret.MYSQL_USERS_KEY,
                "mysql_users=( { username=\"o'neil\"; password=\"pw\" }, { password=\"pw\" } )")))).containsExactly(
                "spec.configuration.init.secretName(init)/MySQLUsers.cnf/mysql_users[0].username: contains the"
                        + " character ', which ProxySQL cannot load from its config file (it builds unescaped SQL from"
                        + " it); set this value through the admin interface instead",
                "spec.configuration.init.secretName(init)/MySQLUsers.cnf/mysql_users[1].username: is required");
    }

    @Test
    void emptyFragmentIsIgnoredWithAWarning() {
        ProxySqlCnfResult result = ProxySqlCnfRenderer.render(withSecret(Map.of(InitSecret.MYSQL_USERS_KEY, "# nothing\n")));

        assertThat(result.isValid()).isTrue();
        assertThat(result.warnings()).extracting(ConfigWarning::toString)
                .containsExactly("spec.configuration.init.secretName(init)/MySQLUsers.cnf: is empty and was ignored");
    }

    @Test
    void secretUserWithoutDefaultHostgroupIsRenderedWithAWarning() {
        ProxySqlCnfResult result = ProxySqlCnfRenderer.render(withSecret(Map.of(InitSecret.MYSQL_USERS_KEY,
                "mysql_users=( { username=\"u\"; password=\"p\" } )")));

        assertThat(result.cnfOrThrow()).contains("username=\"u\"");
        assertThat(result.warnings()).extracting(ConfigWarning::toString).containsExactly(
                "spec.configuration.init.secretName(init)/MySQLUsers.cnf/mysql_users[0]: has no default_hostgroup;"
                        + " ProxySQL then uses hostgroup 0, which has no servers (the writer hostgroup is 2)");
    }

    @Test
    void backendProblemsAreReported() {
        Backend bad = new Backend(BackendMode.GALERA, List.of(
                new BackendServer("db-0.db-pods.demo.svc", 3306, false),
                new BackendServer("db-0.db-pods.demo.svc", 3306, false),
                new BackendServer("bad\"host", 3306, false),
                new BackendServer("db-1.db-pods.demo.svc", 0, false)), null, null);

        assertThat(errors(new ProxySqlConfigInput(CLUSTER, MONITOR, bad, List.of(), null, null))).containsExactly(
                "backend.servers[1]: duplicate server db-0.db-pods.demo.svc:3306",
                "backend.servers[2].host: must be a DNS name or IP address, got 'bad\"host'",
                "backend.servers[3].port: must be between 1 and 65535, got 0");
        assertThat(errors(new ProxySqlConfigInput(CLUSTER, MONITOR,
                new Backend(null, List.of(), null, null), List.of(), null, null))).containsExactly(
                "backend.mode: is required", "backend.servers: at least one backend server is required");
        assertThat(errors(new ProxySqlConfigInput(CLUSTER, MONITOR, null, List.of(), null, null)))
                .containsExactly("backend: is required");
    }

    @Test
    void credentialsThatWouldBreakAdminCredentialsAreRejected() {
        assertThat(errors(new ProxySqlConfigInput(new Credentials("cluster", "pa;ss"), MONITOR, groupReplication(),
                List.of(), null, null))).containsExactly("spec.authSecret.password: must not contain whitespace,"
                + " control characters or any of :;\" (it is embedded in admin-admin_credentials)");
        assertThat(errors(new ProxySqlConfigInput(new Credentials("admin", "pw"), MONITOR, groupReplication(),
                List.of(), null, null))).containsExactly(
                "spec.authSecret.username: 'admin' is reserved for local access; ProxySQL refuses it from other pods");
        assertThat(errors(new ProxySqlConfigInput(null, null, groupReplication(), List.of(), null, null)))
                .containsExactly("spec.authSecret: the cluster admin credentials are required",
                        "monitor: the monitor credentials are required");
    }

    @Test
    void peersMustBeDistinctDnsNames() {
        assertThat(errors(new ProxySqlConfigInput(CLUSTER, MONITOR, groupReplication(),
                List.of("p-0.p-pods.demo.svc", "p-0.p-pods.demo.svc", "not a host"), null, null))).containsExactly(
                "proxysqlServers[1]: duplicate ProxySQL server p-0.p-pods.demo.svc",
                "proxysqlServers[2]: must be a DNS name, got 'not a host'");
    }

    @Test
    void nullEntriesFromTheProvisionerAreReportedNotThrown() {
        List<BackendServer> servers = new java.util.ArrayList<>();
        servers.add(null);
        List<String> peers = new java.util.ArrayList<>(List.of("p-0.p-pods.demo.svc"));
        peers.add(null);

        assertThat(errors(new ProxySqlConfigInput(CLUSTER, MONITOR,
                new Backend(BackendMode.GALERA, servers, null, null), peers, null, null))).containsExactly(
                "backend.servers[0].host: must be a DNS name or IP address, got 'null'",
                "proxysqlServers[1]: must be a DNS name, got 'null'");
    }

    @Test
    void secretContentsAreNotPrinted() {
        assertThat(new InitSecret("s", Map.of(InitSecret.MYSQL_USERS_KEY, "password=\"hunter2\"")).toString())
                .doesNotContain("hunter2");
        assertThat(CLUSTER.toString()).doesNotContain(CLUSTER.password());
    }

    @Test
    void allProblemsAreReportedInOneRound() {
        InlineInitConfig inline = new InlineInitConfig(List.of(MySqlUser.named("")),
                List.of(Map.of("apply", 1)), Map.of("interfaces", "x"), Map.of("mysql_ifaces", "y"));

        assertThat(errors(withInline(inline))).hasSize(4);
    }

    @Test
    void invalidResultRefusesToHandOutText() {
        ProxySqlCnfResult result = ProxySqlCnfRenderer.render(withMysqlVariables(Map.of("interfaces", "x")));

        assertThatThrownBy(result::cnfOrThrow).isInstanceOf(IllegalStateException.class);
        assertThat(result.errorSummary()).isEqualTo("spec.configuration.init.inline.mysqlVariables.interfaces:"
                + " 'mysql-interfaces' is managed by the operator and cannot be set");
    }
}
