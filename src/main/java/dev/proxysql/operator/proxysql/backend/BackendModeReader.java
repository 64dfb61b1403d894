package dev.proxysql.operator.proxysql.backend;

import dev.proxysql.operator.proxysql.admin.FailureClassifier;
import dev.proxysql.operator.proxysql.admin.SecretRedactor;
import dev.proxysql.operator.proxysql.config.Credentials;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads what a backend server says about its replication, logged in with the AppBinding's credentials (the
 * connection the operator already makes to create the monitor user). Only statements any user may run, except the
 * Group Replication member table, which is read only when the {@code group_replication} plugin is ACTIVE:
 * <ul>
 *   <li>{@code SHOW GLOBAL VARIABLES} for {@code version}, {@code wsrep_on}, {@code wsrep_provider},
 *       {@code pxc_maint_mode};</li>
 *   <li>{@code SHOW GLOBAL STATUS} for {@code wsrep_cluster_size}, {@code wsrep_cluster_status};</li>
 *   <li>{@code information_schema.PLUGINS} for the {@code group_replication} plugin;</li>
 *   <li>{@code performance_schema.replication_group_members} (with {@code MEMBER_ROLE} where the server has it).</li>
 * </ul>
 */
public final class BackendModeReader {
    /** MySQL's ER_BAD_FIELD_ERROR: MEMBER_ROLE does not exist before 8.0.2. */
    private static final int UNKNOWN_COLUMN = 1054;

    private final Duration connectTimeout;
    private final Duration socketTimeout;

    public BackendModeReader(Duration connectTimeout, Duration socketTimeout) {
        this.connectTimeout = connectTimeout;
        this.socketTimeout = socketTimeout;
    }

    /** The monitor user's timeouts: this too runs inside a reconcile. */
    public static BackendModeReader withDefaultTimeouts() {
        return new BackendModeReader(Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    public BackendModeReading read(String host, int port, Credentials login) {
        String backend = BackendConnections.address(host, port);
        BackendConnections.Login session = BackendConnections.login(host, port, login, connectTimeout, socketTimeout);
        if (session.failed()) {
            return BackendModeReading.failed(backend, session.failureReason(), session.failureMessage());
        }
        try (Connection connection = session.connection(); Statement statement = connection.createStatement()) {
            Map<String, String> variables = pairs(statement, "SHOW GLOBAL VARIABLES WHERE Variable_name IN"
                    + " ('version', 'wsrep_on', 'wsrep_provider', 'pxc_maint_mode')");
            Map<String, String> status = pairs(statement, "SHOW GLOBAL STATUS WHERE Variable_name IN"
                    + " ('wsrep_cluster_size', 'wsrep_cluster_status')");
            String plugin = null;
            try (ResultSet rows = statement.executeQuery(
                    "SELECT PLUGIN_STATUS FROM information_schema.PLUGINS WHERE PLUGIN_NAME = 'group_replication'")) {
                if (rows.next()) {
                    plugin = rows.getString(1);
                }
            }
            List<BackendModeObservation.GroupMember> members = "ACTIVE".equalsIgnoreCase(plugin) ? members(statement) : List.of();
            return BackendModeReading.read(backend, new BackendModeObservation(variables.get("version"), variables.get("wsrep_on"),
                    variables.get("wsrep_provider"), integer(status.get("wsrep_cluster_size")), status.get("wsrep_cluster_status"),
                    variables.get("pxc_maint_mode"), plugin, members));
        } catch (SQLException e) {
            return BackendModeReading.failed(backend, MonitorUserProvisioner.kindReason(e), SecretRedactor.redact(
                    "backend " + backend + " did not answer what it replicates to " + BackendConnections.who(login) + ": " + FailureClassifier.detail(e),
                    login.password()));
        }
    }

    private static List<BackendModeObservation.GroupMember> members(Statement statement) throws SQLException {
        try {
            return members(statement, "SELECT MEMBER_HOST, MEMBER_PORT, MEMBER_STATE, MEMBER_ROLE"
                    + " FROM performance_schema.replication_group_members", true);
        } catch (SQLException e) {
            if (e.getErrorCode() != UNKNOWN_COLUMN) {
                throw e;
            }
            return members(statement, "SELECT MEMBER_HOST, MEMBER_PORT, MEMBER_STATE"
                    + " FROM performance_schema.replication_group_members", false);
        }
    }

    private static List<BackendModeObservation.GroupMember> members(Statement statement, String sql, boolean withRole) throws SQLException {
        List<BackendModeObservation.GroupMember> members = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                members.add(new BackendModeObservation.GroupMember(rows.getString(1), rows.getInt(2), rows.getString(3),
                        withRole ? rows.getString(4) : null));
            }
        }
        return members;
    }

    /** Lower-cased names to values of a {@code SHOW ... WHERE Variable_name IN (...)}. */
    private static Map<String, String> pairs(Statement statement, String sql) throws SQLException {
        Map<String, String> values = new HashMap<>();
        try (ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.put(rows.getString(1).toLowerCase(Locale.ROOT), rows.getString(2));
            }
        }
        return values;
    }

    private static Integer integer(String text) {
        try {
            return text == null || text.isBlank() ? null : Integer.valueOf(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
