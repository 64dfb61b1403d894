package dev.proxysql.operator.proxysql.admin;

import dev.proxysql.operator.proxysql.admin.FailureClassifier.Phase;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Makes one ProxySQL node's {@code mysql_users} hold the rows the operator wants, through the admin interface:
 * compares first, and only when a row differs deletes and inserts it, then {@code LOAD MYSQL USERS TO RUNTIME} and
 * {@code SAVE MYSQL USERS TO DISK} (so the rows survive a restart with the datadir). A node that already matches costs
 * one connection and one query.
 *
 * <p>Rows whose {@code comment} is {@code ownedComment} were written by an earlier sync; those whose user is no longer
 * wanted are deleted. Any other row (the config file's, an ops request's, a person's) is left alone unless the
 * operator wants a row of that user.
 *
 * <p>The admin module has no prepared statements, so values are written as SQL literals: names and text values are
 * checked against a strict pattern before ({@link #refusal}), a password goes in as {@code UNHEX('...')} unless it is
 * a native hash, and is compared as {@code HEX(password)}.
 */
public final class MySqlUsersTable {
    static final String READ = "SELECT username, HEX(password) AS password_hex, active, use_ssl, default_hostgroup, default_schema,"
            + " schema_locked, transaction_persistent, fast_forward, backend, frontend, max_connections, attributes, comment"
            + " FROM mysql_users ORDER BY username";
    private static final Set<String> COLUMNS = Set.of("active", "use_ssl", "default_hostgroup", "default_schema",
            "schema_locked", "transaction_persistent", "fast_forward", "backend", "frontend", "max_connections",
            "attributes", "comment");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_.@$-]{1,80}");
    /** Printable, without the quote and the backslash: safe in a single-quoted literal for ProxySQL's parser. */
    private static final Pattern TEXT = Pattern.compile("[\\x20-\\x7E&&[^'\\\\]]*");
    private static final Pattern NATIVE_HASH_HEX = Pattern.compile("2A(3[0-9]|4[1-6]){40}");

    /** What changed on the node. */
    public record Applied(List<String> added, List<String> updated, List<String> removed) {
        public boolean changed() {
            return !added.isEmpty() || !updated.isEmpty() || !removed.isEmpty();
        }
    }

    private final AdminEndpoint endpoint;
    private final AdminCredentials credentials;
    private final AdminTimeouts timeouts;
    private final AdminConnector connector = new AdminConnector();

    public MySqlUsersTable(AdminEndpoint endpoint, AdminCredentials credentials, AdminTimeouts timeouts) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.timeouts = Objects.requireNonNull(timeouts, "timeouts");
    }

    /** Why the operator will not write {@code row} as SQL, or null if it may. */
    public static String refusal(MySqlUserRow row) {
        if (!USERNAME.matcher(row.username()).matches()) {
            return "the name is not 1 to 80 letters, digits or _ . @ $ -";
        }
        for (Map.Entry<String, Object> cell : row.columns().entrySet()) {
            if (!COLUMNS.contains(cell.getKey())) {
                return "'" + cell.getKey() + "' is not a mysql_users column the operator writes";
            }
            if (cell.getValue() instanceof String s && !TEXT.matcher(s).matches()) {
                return cell.getKey() + " has a quote, a backslash or a character that is not printable ASCII";
            }
            if (!(cell.getValue() instanceof String) && !(cell.getValue() instanceof Integer)) {
                return cell.getKey() + " is neither text nor an integer";
            }
        }
        if (!row.passwordHex().matches("([0-9A-F]{2})+")) {
            return "the password hash is not hex";
        }
        // The admin table keeps a NUL byte, but LOAD MYSQL USERS TO RUNTIME cuts the password there (MySqlUsersTableIT).
        return row.passwordHex().matches("([0-9A-F]{2})*?00([0-9A-F]{2})*") ? "the password hash has a NUL byte, which ProxySQL's runtime cuts" : null;
    }

    /**
     * Writes {@code wanted} (rows {@link #refusal} refuses must not be passed) and removes rows of {@code ownedComment}
     * that are not wanted; loads and saves only when something changed.
     */
    public AdminResult<Applied> apply(List<MySqlUserRow> wanted, String ownedComment) {
        for (MySqlUserRow row : wanted) {
            String refused = refusal(row);
            if (refused != null) {
                throw new IllegalArgumentException("row of user " + row.username() + " refused: " + refused);
            }
        }
        Phase phase = Phase.CONNECT;
        try (Connection connection = connector.open(endpoint, credentials, timeouts)) {
            phase = Phase.QUERY;
            try (Statement statement = connection.createStatement()) {
                return AdminResult.success(apply(statement, wanted, ownedComment));
            }
        } catch (SQLException e) {
            return new AdminResult.Failure<>(FailureClassifier.classify(e, phase, endpoint, credentials));
        }
    }

    private static Applied apply(Statement statement, List<MySqlUserRow> wanted, String ownedComment) throws SQLException {
        Map<String, List<Map<String, String>>> present = read(statement);
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        Map<String, MySqlUserRow> byName = new LinkedHashMap<>();
        wanted.forEach(r -> byName.put(r.username(), r));
        for (MySqlUserRow row : byName.values()) {
            List<Map<String, String>> rows = present.getOrDefault(row.username(), List.of());
            if (rows.size() == 1 && matches(rows.get(0), row)) {
                continue;
            }
            statement.execute("DELETE FROM mysql_users WHERE username = '" + row.username() + "'");
            statement.execute(insert(row));
            (rows.isEmpty() ? added : updated).add(row.username());
        }
        for (Map.Entry<String, List<Map<String, String>>> user : present.entrySet()) {
            boolean owned = user.getValue().stream().allMatch(r -> ownedComment.equals(r.get("comment")));
            if (owned && !byName.containsKey(user.getKey()) && USERNAME.matcher(user.getKey()).matches()) {
                statement.execute("DELETE FROM mysql_users WHERE username = '" + user.getKey() + "'");
                removed.add(user.getKey());
            }
        }
        Applied applied = new Applied(List.copyOf(added), List.copyOf(updated), List.copyOf(removed));
        if (applied.changed()) {
            statement.execute("LOAD MYSQL USERS TO RUNTIME");
            statement.execute("SAVE MYSQL USERS TO DISK");
        }
        return applied;
    }

    private static Map<String, List<Map<String, String>>> read(Statement statement) throws SQLException {
        Map<String, List<Map<String, String>>> present = new LinkedHashMap<>();
        try (ResultSet rows = statement.executeQuery(READ)) {
            int count = rows.getMetaData().getColumnCount();
            while (rows.next()) {
                Map<String, String> row = new HashMap<>();
                for (int i = 1; i <= count; i++) {
                    row.put(rows.getMetaData().getColumnLabel(i).toLowerCase(Locale.ROOT), rows.getString(i));
                }
                present.computeIfAbsent(row.get("username"), u -> new ArrayList<>()).add(row);
            }
        }
        return present;
    }

    private static boolean matches(Map<String, String> present, MySqlUserRow row) {
        if (!row.passwordHex().equalsIgnoreCase(Objects.toString(present.get("password_hex"), ""))) {
            return false;
        }
        return row.columns().entrySet().stream().allMatch(c -> String.valueOf(c.getValue()).equals(present.get(c.getKey())));
    }

    private static String insert(MySqlUserRow row) {
        StringBuilder names = new StringBuilder("username, password");
        StringBuilder values = new StringBuilder("'" + row.username() + "', " + password(row.passwordHex()));
        row.columns().forEach((name, value) -> {
            names.append(", ").append(name);
            values.append(", ").append(value instanceof Integer i ? i.toString() : "'" + value + "'");
        });
        return "INSERT INTO mysql_users (" + names + ") VALUES (" + values + ")";
    }

    /** A native hash as text (what ProxySQL's own docs show); anything else from its bytes. */
    private static String password(String hex) {
        if (NATIVE_HASH_HEX.matcher(hex).matches()) {
            return "'" + new String(HexFormat.of().parseHex(hex), StandardCharsets.US_ASCII) + "'";
        }
        return "UNHEX('" + hex + "')";
    }
}
