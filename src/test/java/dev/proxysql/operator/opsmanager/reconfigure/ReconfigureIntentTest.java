package dev.proxysql.operator.opsmanager.reconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.ReconfigurationSpec;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigurationSpec.RequestType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ReconfigureIntentTest {

    private static ReconfigureIntent.Result of(String yaml) {
        return ReconfigureIntent.of(Serialization.unmarshal(yaml, ReconfigurationSpec.class));
    }

    @Test
    void variablesAreWrittenWithoutTheirPrefixAsKubeDbDoesAndAPrefixedNameIsTheSameVariable() {
        ReconfigureIntent intent = of("""
                mysqlVariables: {max_connections: 1234, mysql-default_query_timeout: 36000, have_compress: true}
                adminVariables: {refresh_interval: 2055}
                """).intent();
        assertThat(intent.variables()).containsExactly(Map.entry("mysql-max_connections", "1234"),
                Map.entry("mysql-default_query_timeout", "36000"), Map.entry("mysql-have_compress", "true"),
                Map.entry("admin-refresh_interval", "2055"));
        assertThat(intent.field("mysql-default_query_timeout")).isEqualTo("spec.configuration.mysqlVariables.mysql-default_query_timeout");
    }

    @ParameterizedTest
    @CsvSource({
            "mysqlVariables, interfaces, mysql-interfaces",
            "mysqlVariables, mysql-interfaces, mysql-interfaces",
            "mysqlVariables, monitor_username, mysql-monitor_username",
            "mysqlVariables, MONITOR_PASSWORD, mysql-MONITOR_PASSWORD",
            "mysqlVariables, ssl_p2s_ca, mysql-ssl_p2s_ca",
            "mysqlVariables, mysql-ssl_p2s_cert, mysql-ssl_p2s_cert",
            "adminVariables, admin_credentials, admin-admin_credentials",
            "adminVariables, admin-admin_credentials, admin-admin_credentials",
            "adminVariables, mysql_interface, admin-mysql_interface",
            "adminVariables, mysql_ifaces, admin-mysql_ifaces",
            "adminVariables, cluster_password, admin-cluster_password",
    })
    void variablesTheOperatorSetsAreRefusedNamingTheField(String block, String key, String full) {
        assertThat(of(block + ": {\"" + key + "\": x}").problem())
                .isEqualTo("spec.configuration." + block + "." + key + ": " + full + " is set by the operator and cannot be reconfigured");
    }

    @Test
    void usersAndRulesAreKeyedAndTheirCellsAreText() {
        ReconfigureIntent intent = of("""
                mysqlUsers: {reqType: add, users: [{username: app, default_hostgroup: 2, active: 1}]}
                mysqlQueryRules: {reqType: update, rules: [{rule_id: 7, apply: true, match_digest: "^SELECT"}]}
                """).intent();
        assertThat(intent.usersType()).isEqualTo(RequestType.ADD);
        assertThat(intent.users()).containsOnlyKeys("app");
        assertThat(intent.users().get("app")).containsEntry("default_hostgroup", "2").containsEntry("username", "app");
        assertThat(intent.rules().get("7")).containsEntry("apply", "1").containsEntry("match_digest", "^SELECT").containsEntry("rule_id", "7");
    }

    @Test
    void badRequestsAreRefusedNamingTheField() {
        assertThat(of("{}").problem()).contains("spec.configuration: names nothing to change");
        assertThat(of("mysqlUsers: {users: [{username: app}]}").problem()).isEqualTo("spec.configuration.mysqlUsers.reqType: required (add, update or delete)");
        assertThat(of("mysqlUsers: {reqType: add, users: [{username: app}, {username: app}]}").problem())
                .isEqualTo("spec.configuration.mysqlUsers.users[1].username: user app is listed twice");
        assertThat(of("mysqlQueryRules: {reqType: add, rules: [{active: 1}]}").problem())
                .isEqualTo("spec.configuration.mysqlQueryRules.rules[0].rule_id: required, a positive integer");
        assertThat(of("mysqlQueryRules: {reqType: add, rules: [{rule_id: 1, \"bad column\": 1}]}").problem())
                .startsWith("spec.configuration.mysqlQueryRules.rules[0].bad column: not a column that can be set");
        assertThat(of("mysqlVariables: {max_connections: {nested: 1}}").problem())
                .isEqualTo("spec.configuration.mysqlVariables.max_connections: must be a string, number or boolean");
        assertThat(of("mysqlVariables: {\"drop table\": 1}").problem())
                .isEqualTo("spec.configuration.mysqlVariables.drop table: not a ProxySQL variable name");
    }

    @Test
    void everyCredentialVariableButStatsCredentialsIsRefusedStatsCredentialsIsTakenAndRedactedElsewhere() {
        for (String name : dev.proxysql.operator.proxysql.config.CredentialVariables.KNOWN) {
            String module = name.substring(0, name.indexOf('-'));
            String bare = name.substring(module.length() + 1);
            ReconfigureIntent.Result r = ReconfigureIntent.of(io.fabric8.kubernetes.client.utils.Serialization.unmarshal(
                    module + "Variables: {" + bare + ": \"u:S3cret\"}", dev.proxysql.operator.api.ops.v1alpha1.ReconfigurationSpec.class));
            if (name.equals("admin-stats_credentials")) {
                assertThat(r.problem()).as(name).isNull();
            } else {
                assertThat(r.problem()).as(name).contains(name + " is set by the operator and cannot be reconfigured").doesNotContain("S3cret");
            }
        }
    }
}
