package dev.proxysql.operator.proxysql.admin;

import dev.proxysql.operator.proxysql.config.CredentialVariables;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads and writes ProxySQL's configuration tables through one node's admin interface, for Reconfigure: the rows and
 * variables a change touches, the change itself ({@code LOAD ... TO RUNTIME} and {@code SAVE ... TO DISK} for each
 * module it touches), and whether the node's runtime and disk show it afterwards.
 *
 * <p>The admin module has no prepared statements (see {@link AdminConnector}), so values are SQL literals, quoted and
 * escaped here; names (columns, variables) are checked against a strict pattern and never quoted from user input.
 * Each call opens its own connection. Methods throw {@link SQLException}; messages never carry a password
 * (statements are not included in them).
 */
public final class ConfigTables {
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,128}");
    /** Users are compared without these: the password is a hash ProxySQL may re-encode, frontend/backend split at runtime. */
    private static final Set<String> USER_COLUMNS_NOT_COMPARED = Set.of("password", "frontend", "backend");

    private final AdminEndpoint endpoint;
    private final AdminCredentials credentials;
    private final AdminTimeouts timeouts;
    private final AdminConnector connector = new AdminConnector();

    public ConfigTables(AdminEndpoint endpoint, AdminCredentials credentials, AdminTimeouts timeouts) {
        this.endpoint = Objects.requireNonNull(endpoint);
        this.credentials = Objects.requireNonNull(credentials);
        this.timeouts = Objects.requireNonNull(timeouts);
    }

    public AdminEndpoint endpoint() {
        return endpoint;
    }

    /** Which of {@code names} (full names) ProxySQL knows, from {@code global_variables}. */
    public Set<String> knownVariables(Collection<String> names) throws SQLException {
        return variables("global_variables", names).keySet();
    }

    /** The current values of these variables in the main table ({@code global_variables}); unknown names are absent. */
    public Map<String, String> variables(Collection<String> names) throws SQLException {
        return variables("global_variables", names);
    }

    /** The values these variables have at runtime ({@code runtime_global_variables}): what the node acts on. */
    public Map<String, String> runtimeVariables(Collection<String> names) throws SQLException {
        return variables("runtime_global_variables", names);
    }

    /** Username to its main-table row (without the password); users without a row are absent. */
    public Map<String, Map<String, String>> users(Collection<String> usernames) throws SQLException {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (usernames.isEmpty()) {
            return out;
        }
        for (Map<String, String> row : rows("SELECT * FROM mysql_users WHERE username IN (" + literals(usernames) + ") ORDER BY frontend DESC")) {
            row.remove("password");
            out.putIfAbsent(row.get("username"), row);
        }
        return out;
    }

    /** The password (as stored: a hash or clear text) of each of these users that has a row. */
    public Map<String, String> passwords(Collection<String> usernames) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        if (!usernames.isEmpty()) {
            for (Map<String, String> row : rows("SELECT username, password FROM mysql_users WHERE username IN (" + literals(usernames) + ")")) {
                if (row.get("password") != null) {
                    out.putIfAbsent(row.get("username"), row.get("password"));
                }
            }
        }
        return out;
    }

    /** rule_id to its main-table row, NULL columns left out; rules without a row are absent. */
    public Map<String, Map<String, String>> rules(Collection<String> ruleIds) throws SQLException {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        if (ruleIds.isEmpty()) {
            return out;
        }
        for (Map<String, String> row : rows("SELECT * FROM mysql_query_rules WHERE rule_id IN (" + literals(ruleIds) + ")")) {
            row.values().removeIf(Objects::isNull);
            out.put(row.get("rule_id"), row);
        }
        return out;
    }

    /**
     * Writes the change to the main tables, loads each touched module to runtime and saves it to disk, in one session.
     * Repeating it is harmless: every statement sets rows or values by their key.
     */
    public void apply(ConfigChange change) throws SQLException {
        List<String> sql = new ArrayList<>();
        change.deleteUsers().forEach(u -> sql.add("DELETE FROM mysql_users WHERE username = " + literal(u)));
        change.putUsers().forEach((u, row) -> {
            sql.add("DELETE FROM mysql_users WHERE username = " + literal(u));
            sql.add(insert("mysql_users", row));
        });
        change.setUsers().forEach((u, cells) -> sql.add(update("mysql_users", cells, "username = " + literal(u))));
        change.deleteRules().forEach(id -> sql.add("DELETE FROM mysql_query_rules WHERE rule_id = " + literal(id)));
        change.putRules().forEach((id, row) -> sql.add(insert("mysql_query_rules", row)));
        change.setRules().forEach((id, cells) -> sql.add(update("mysql_query_rules", cells, "rule_id = " + literal(id))));
        change.variables().forEach((name, value) -> sql.add("UPDATE global_variables SET variable_value = " + literal(value)
                + " WHERE variable_name = " + literal(checkedName(name))));
        if (change.touchesUsers()) {
            sql.add("LOAD MYSQL USERS TO RUNTIME");
            sql.add("SAVE MYSQL USERS TO DISK");
        }
        if (change.touchesRules()) {
            sql.add("LOAD MYSQL QUERY RULES TO RUNTIME");
            sql.add("SAVE MYSQL QUERY RULES TO DISK");
        }
        if (change.touchesVariables("mysql-")) {
            sql.add("LOAD MYSQL VARIABLES TO RUNTIME");
            sql.add("SAVE MYSQL VARIABLES TO DISK");
        }
        if (change.touchesVariables("admin-")) {
            sql.add("LOAD ADMIN VARIABLES TO RUNTIME");
            sql.add("SAVE ADMIN VARIABLES TO DISK");
        }
        try (Connection c = connector.open(endpoint, credentials, timeouts); Statement s = c.createStatement()) {
            for (String statement : sql) {
                try {
                    s.execute(statement);
                } catch (SQLException e) {
                    // The statement is not quoted: it may carry a password hash.
                    throw new SQLException(endpoint + " refused " + firstWords(statement) + ": " + e.getMessage(), e.getSQLState(), e.getErrorCode());
                }
            }
        }
    }

    /**
     * What the node's runtime and disk do not show of the change, one line each (empty: all of it is there). Users and
     * rules are compared on the columns the change sets; a deleted row must be gone from both.
     */
    public List<String> differences(ConfigChange change) throws SQLException {
        List<String> out = new ArrayList<>();
        Map<String, Map<String, String>> wantUsers = new LinkedHashMap<>();
        change.putUsers().forEach(wantUsers::put);
        change.setUsers().forEach((u, cells) -> wantUsers.merge(u, cells, (a, b) -> {
            Map<String, String> m = new LinkedHashMap<>(a);
            m.putAll(b);
            return m;
        }));
        Map<String, Map<String, String>> wantRules = new LinkedHashMap<>(change.putRules());
        change.setRules().forEach((id, cells) -> wantRules.merge(id, cells, (a, b) -> {
            Map<String, String> m = new LinkedHashMap<>(a);
            m.putAll(b);
            return m;
        }));
        for (String table : List.of("runtime_", "disk.")) {
            String where = table.equals("runtime_") ? "runtime" : "disk";
            if (change.touchesUsers()) {
                Set<String> names = new LinkedHashSet<>(wantUsers.keySet());
                names.addAll(change.deleteUsers());
                Map<String, List<Map<String, String>>> got = rows("SELECT * FROM " + table + "mysql_users WHERE username IN ("
                        + literals(names) + ")").stream().collect(Collectors.groupingBy(r -> r.get("username"), LinkedHashMap::new, Collectors.toList()));
                change.deleteUsers().stream().filter(got::containsKey).forEach(u -> out.add(where + ": user " + u + " is still there"));
                wantUsers.forEach((u, cells) -> {
                    List<Map<String, String>> rows = got.get(u);
                    if (rows == null) {
                        out.add(where + ": user " + u + " is missing");
                        return;
                    }
                    cells.forEach((col, value) -> {
                        if (!USER_COLUMNS_NOT_COMPARED.contains(col) && rows.stream().noneMatch(r -> same(value, r.get(col)))) {
                            out.add(where + ": user " + u + " has " + col + "=" + rows.get(0).get(col) + ", not " + value);
                        }
                    });
                });
            }
            if (change.touchesRules()) {
                Set<String> ids = new LinkedHashSet<>(wantRules.keySet());
                ids.addAll(change.deleteRules());
                Map<String, Map<String, String>> got = new LinkedHashMap<>();
                rows("SELECT * FROM " + table + "mysql_query_rules WHERE rule_id IN (" + literals(ids) + ")")
                        .forEach(r -> got.put(r.get("rule_id"), r));
                change.deleteRules().stream().filter(got::containsKey).forEach(id -> out.add(where + ": rule_id " + id + " is still there"));
                wantRules.forEach((id, cells) -> {
                    Map<String, String> row = got.get(id);
                    if (row == null) {
                        out.add(where + ": rule_id " + id + " is missing");
                        return;
                    }
                    cells.forEach((col, value) -> {
                        if (!same(value, row.get(col))) {
                            out.add(where + ": rule_id " + id + " has " + col + "=" + row.get(col) + ", not " + value);
                        }
                    });
                });
            }
            if (!change.variables().isEmpty()) {
                Map<String, String> got = variables(table.equals("runtime_") ? "runtime_global_variables" : "disk.global_variables",
                        change.variables().keySet());
                change.variables().forEach((name, value) -> {
                    if (!same(value, got.get(name))) {
                        out.add(where + ": " + name + " is " + CredentialVariables.shown(name, got.get(name)) + ", not "
                                + CredentialVariables.shown(name, value));
                    }
                });
            }
        }
        return out;
    }

    /** Values as ProxySQL shows them: text, compared without letter case (true/TRUE) and numerically where both are numbers. */
    static boolean same(String want, String got) {
        if (want == null || got == null) {
            return want == got;
        }
        if (want.equalsIgnoreCase(got)) {
            return true;
        }
        try {
            return new java.math.BigDecimal(want.trim()).compareTo(new java.math.BigDecimal(got.trim())) == 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private Map<String, String> variables(String table, Collection<String> names) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        if (names.isEmpty()) {
            return out;
        }
        for (Map<String, String> row : rows("SELECT variable_name, variable_value FROM " + table + " WHERE variable_name IN ("
                + literals(names) + ")")) {
            out.put(row.get("variable_name"), row.get("variable_value"));
        }
        return out;
    }

    private List<Map<String, String>> rows(String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Connection c = connector.open(endpoint, credentials, timeouts); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getString(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    static String insert(String table, Map<String, String> row) {
        return "INSERT OR REPLACE INTO " + table + " (" + row.keySet().stream().map(ConfigTables::checkedName).collect(Collectors.joining(", "))
                + ") VALUES (" + row.values().stream().map(ConfigTables::literal).collect(Collectors.joining(", ")) + ")";
    }

    static String update(String table, Map<String, String> cells, String where) {
        return "UPDATE " + table + " SET " + cells.entrySet().stream().map(e -> checkedName(e.getKey()) + " = " + literal(e.getValue()))
                .collect(Collectors.joining(", ")) + " WHERE " + where;
    }

    /** A SQL string literal (SQLite rules: a quote doubled), or NULL. */
    static String literal(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    private static String literals(Collection<String> values) {
        return values.stream().map(ConfigTables::literal).collect(Collectors.joining(", "));
    }

    static String checkedName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a ProxySQL column or variable name: " + name);
        }
        return name;
    }

    /** The statement's first words (table and key column), never its values. */
    private static String firstWords(String statement) {
        String[] words = statement.split(" ");
        return String.join(" ", java.util.Arrays.copyOf(words, Math.min(5, words.length)));
    }
}
