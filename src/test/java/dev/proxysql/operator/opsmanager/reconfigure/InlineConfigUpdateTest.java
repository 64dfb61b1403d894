package dev.proxysql.operator.opsmanager.reconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigurationSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InlineConfigUpdateTest {

    private static ReconfigureIntent intent(String yaml) {
        return ReconfigureIntent.of(Serialization.unmarshal(yaml, ReconfigurationSpec.class)).intent();
    }

    private static ProxySQL proxysql(String spec) {
        return Serialization.unmarshal("""
                apiVersion: kubedb.com/v1
                kind: ProxySQL
                metadata: {name: px, namespace: demo}
                spec:
                """ + spec.indent(2), ProxySQL.class);
    }

    @Test
    void theChangeIsMergedIntoInlineAndApplyingItTwiceGivesTheSameSpec() {
        ProxySQL p = proxysql("""
                version: 2.7.3-debian
                backend: {name: mysql}
                configuration:
                  init:
                    inline:
                      mysqlUsers: [{username: app, default_hostgroup: 2}]
                      mysqlQueryRules: [{rule_id: 1, active: 1}, {rule_id: 2, active: 1}]
                      adminVariables: {refresh_interval: 2000}
                """);
        ReconfigureIntent update = intent("""
                mysqlUsers: {reqType: update, users: [{username: app, max_connections: 5}]}
                adminVariables: {refresh_interval: 2055}
                mysqlVariables: {max_connections: 99}
                """);
        ProxySQL once = InlineConfigUpdate.apply(p, update);
        var inline = once.getSpec().getConfiguration().getInit().getInline();
        assertThat(inline.getMysqlUsers()).singleElement().satisfies(u -> {
            assertThat(u.getDefaultHostgroup()).isEqualTo(2);
            assertThat(u.getMaxConnections()).isEqualTo(5);
        });
        assertThat(inline.getAdminVariables()).containsExactly(Map.entry("refresh_interval", 2055));
        assertThat(inline.getMysqlVariables()).containsExactly(Map.entry("max_connections", 99));
        assertThat(Serialization.asJson(InlineConfigUpdate.apply(once, update))).isEqualTo(Serialization.asJson(once));

        ProxySQL deleted = InlineConfigUpdate.apply(once, intent("mysqlQueryRules: {reqType: delete, rules: [{rule_id: 1}, {rule_id: 2}]}"));
        assertThat(deleted.getSpec().getConfiguration().getInit().getInline().getMysqlQueryRules()).isNull();
        assertThat(InlineConfigUpdate.mergePatch(deleted)).contains("\"mysqlQueryRules\":null");
    }

    @Test
    void aProxySqlOnTheDeprecatedInitConfigGetsACopyOfItAsInline() {
        ProxySQL p = proxysql("""
                version: 2.7.3-debian
                backend: {name: mysql}
                initConfig:
                  mysqlQueryRules: [{rule_id: 1, active: 1}]
                """);
        var inline = InlineConfigUpdate.apply(p, intent("adminVariables: {refresh_interval: 2055}")).getSpec().getConfiguration().getInit().getInline();
        assertThat(inline.getMysqlQueryRules()).singleElement().satisfies(r -> assertThat(r).containsEntry("rule_id", 1));
        assertThat(inline.getAdminVariables()).containsEntry("refresh_interval", 2055);
    }
}
