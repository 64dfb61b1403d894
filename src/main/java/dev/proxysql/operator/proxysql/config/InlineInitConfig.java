package dev.proxysql.operator.proxysql.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code spec.configuration.init.inline} (KubeDB {@code ProxySQLConfiguration}; the deprecated
 * {@code spec.initConfig} is copied here by defaulting). The RawExtension fields arrive as the plain
 * JSON shapes Jackson produces: maps of String/Number/Boolean values.
 *
 * @param mysqlUsers      {@code mysqlUsers}: never rendered, reported as deferred
 * @param mysqlQueryRules {@code mysqlQueryRules}: one map per rule, keys are mysql_query_rules columns
 * @param mysqlVariables  {@code mysqlVariables}: names without the {@code mysql-} prefix
 * @param adminVariables  {@code adminVariables}: names without the {@code admin-} prefix
 */
public record InlineInitConfig(
        List<MySqlUser> mysqlUsers,
        List<Map<String, Object>> mysqlQueryRules,
        Map<String, Object> mysqlVariables,
        Map<String, Object> adminVariables) {

    public InlineInitConfig {
        // Not List.copyOf/Map.copyOf: user data may legitimately contain nulls we want to report, not NPE on.
        mysqlUsers = mysqlUsers == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(mysqlUsers));
        mysqlQueryRules = mysqlQueryRules == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(mysqlQueryRules));
        mysqlVariables = mysqlVariables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(mysqlVariables));
        adminVariables = adminVariables == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(adminVariables));
    }

    public static InlineInitConfig empty() {
        return new InlineInitConfig(null, null, null, null);
    }
}
