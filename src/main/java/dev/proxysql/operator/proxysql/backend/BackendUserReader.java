package dev.proxysql.operator.proxysql.backend;

import dev.proxysql.operator.proxysql.admin.FailureClassifier;
import dev.proxysql.operator.proxysql.admin.SecretRedactor;
import dev.proxysql.operator.proxysql.config.Credentials;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the backend's accounts and their password hashes from {@code mysql.user}, logged in with the AppBinding's
 * credentials (ProxySQL's monitor user may not read that table, and must not).
 *
 * <p>One query, {@code SELECT *, HEX(authentication_string) ... FROM mysql.user}, read by column name so that the same
 * code serves MariaDB (whose {@code mysql.user} is a view with {@code Password}, {@code is_role}) and MySQL 8 (with
 * {@code account_locked}, no {@code Password}); a column the server does not have counts as empty. The hash is read
 * as hex because caching_sha2_password hashes are binary.
 */
public final class BackendUserReader {
    static final String QUERY = "SELECT *, HEX(authentication_string) AS operator_auth_hex FROM mysql.user";

    private final Duration connectTimeout;
    private final Duration socketTimeout;

    public BackendUserReader(Duration connectTimeout, Duration socketTimeout) {
        this.connectTimeout = connectTimeout;
        this.socketTimeout = socketTimeout;
    }

    /** The monitor user's timeouts: this too runs inside a reconcile. */
    public static BackendUserReader withDefaultTimeouts() {
        return new BackendUserReader(Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    public BackendUsersResult read(String host, int port, Credentials login) {
        String backend = BackendConnections.address(host, port);
        String who = BackendConnections.who(login);
        BackendConnections.Login session = BackendConnections.login(host, port, login, connectTimeout, socketTimeout);
        if (session.failed()) {
            return BackendUsersResult.failed(session.failureReason(), session.failureMessage());
        }
        try (Connection connection = session.connection(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(QUERY)) {
            List<BackendAccount> accounts = new ArrayList<>();
            Map<String, Integer> columns = columns(rows.getMetaData());
            while (rows.next()) {
                accounts.add(new BackendAccount(text(rows, columns, "user"), text(rows, columns, "host"),
                        text(rows, columns, "plugin"), text(rows, columns, "operator_auth_hex"), text(rows, columns, "password"),
                        yes(rows, columns, "is_role"), yes(rows, columns, "repl_slave_priv"), yes(rows, columns, "account_locked")));
            }
            return BackendUsersResult.of(accounts);
        } catch (SQLException e) {
            String what = e.getErrorCode() == 1142 || e.getErrorCode() == 1044
                    ? MonitorUserResult.PRIVILEGE_MISSING : MonitorUserProvisioner.kindReason(e);
            return BackendUsersResult.failed(what, SecretRedactor.redact("backend " + backend + " did not let " + who
                    + " read mysql.user (it needs SELECT on mysql.user): " + FailureClassifier.detail(e), login.password()));
        }
    }

    /** Lower-cased column label to index: {@code User}/{@code user}, {@code Host}/{@code host} differ by server. */
    private static Map<String, Integer> columns(ResultSetMetaData meta) throws SQLException {
        Map<String, Integer> columns = new TreeMap<>();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            columns.putIfAbsent(meta.getColumnLabel(i).toLowerCase(Locale.ROOT), i);
        }
        return columns;
    }

    private static String text(ResultSet rows, Map<String, Integer> columns, String name) throws SQLException {
        Integer index = columns.get(name);
        String value = index == null ? null : rows.getString(index);
        return value == null ? "" : value;
    }

    private static boolean yes(ResultSet rows, Map<String, Integer> columns, String name) throws SQLException {
        return "Y".equalsIgnoreCase(text(rows, columns, name));
    }
}
