package dev.proxysql.operator.proxysql.admin;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A change to ProxySQL's configuration tables, written through the admin interface ({@link ConfigTables#apply}):
 * rows of {@code mysql_users} by username and of {@code mysql_query_rules} by {@code rule_id}, and global variables
 * by their full name ({@code mysql-...}, {@code admin-...}). Cell values are text (ProxySQL's admin tables are SQLite
 * and convert by column affinity); a null cell is SQL NULL.
 *
 * @param putUsers    rows written whole (INSERT OR REPLACE), with their password
 * @param setUsers    columns set on existing rows (UPDATE), the password included when given
 * @param deleteUsers usernames whose rows are deleted
 * @param putRules    rule rows written whole
 * @param setRules    columns set on existing rules
 * @param deleteRules rule_ids deleted
 * @param variables   full variable name to value
 */
public record ConfigChange(Map<String, Map<String, String>> putUsers, Map<String, Map<String, String>> setUsers,
                           Set<String> deleteUsers, Map<String, Map<String, String>> putRules,
                           Map<String, Map<String, String>> setRules, Set<String> deleteRules, Map<String, String> variables) {

    public static ConfigChange empty() {
        return new ConfigChange(new LinkedHashMap<>(), new LinkedHashMap<>(), new LinkedHashSet<>(), new LinkedHashMap<>(),
                new LinkedHashMap<>(), new LinkedHashSet<>(), new LinkedHashMap<>());
    }

    public boolean touchesUsers() {
        return !putUsers.isEmpty() || !setUsers.isEmpty() || !deleteUsers.isEmpty();
    }

    public boolean touchesRules() {
        return !putRules.isEmpty() || !setRules.isEmpty() || !deleteRules.isEmpty();
    }

    public boolean touchesVariables(String prefix) {
        return variables.keySet().stream().anyMatch(n -> n.startsWith(prefix));
    }
}
