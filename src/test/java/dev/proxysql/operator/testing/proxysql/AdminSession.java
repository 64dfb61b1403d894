package dev.proxysql.operator.testing.proxysql;

import dev.proxysql.operator.proxysql.admin.AdminConnector;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.proxysql.admin.AdminTimeouts;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-side SQL on a real ProxySQL's admin interface, opened with the operator's own connector (so a driver option
 * ProxySQL's admin module refuses fails here too). Rows come back as column-name to text maps, which is how ProxySQL
 * itself stores every admin table (SQLite, mostly typeless).
 */
public final class AdminSession implements AutoCloseable {

    private final Connection connection;

    private AdminSession(Connection connection) {
        this.connection = connection;
    }

    public static AdminSession open(AdminEndpoint endpoint, AdminCredentials credentials) throws SQLException {
        return new AdminSession(new AdminConnector().open(endpoint, credentials,
                new AdminTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30))));
    }

    /** Every row of the query, columns in the order ProxySQL returns them. */
    public List<Map<String, String>> rows(String sql) throws SQLException {
        List<Map<String, String>> rows = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
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

    /** The first column of the first row, or null when there is no row. */
    public String value(String sql) throws SQLException {
        List<Map<String, String>> rows = rows(sql);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    /** Runs statements in order (e.g. an UPDATE of a config table, then LOAD ... TO RUNTIME). */
    public void execute(String... statements) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
