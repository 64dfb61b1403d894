package dev.proxysql.operator.proxysql.backend;

import dev.proxysql.operator.proxysql.admin.AdminFailureKind;
import dev.proxysql.operator.proxysql.admin.FailureClassifier;
import dev.proxysql.operator.proxysql.admin.SecretRedactor;
import dev.proxysql.operator.proxysql.config.Credentials;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Creates or updates ProxySQL's monitor user on a MySQL/MariaDB backend, logged in from the operator with the
 * backend's administrative credentials (the AppBinding's), so that ProxySQL itself never needs them.
 *
 * <p>Idempotent: {@code CREATE USER IF NOT EXISTS}, then {@code ALTER USER} sets the password (a changed Secret is
 * followed), then one {@code GRANT} per {@link MonitorGrant}. Grants are only ever added: a user that already had more
 * keeps it (the operator did not give it, and may not own it).
 *
 * <p>Identifiers and passwords end up in SQL text ({@code CREATE USER ... IDENTIFIED BY} takes no placeholder), so
 * they are checked against strict patterns first; anything else is refused, not escaped. Every failure message
 * names the backend and the login user and never contains a password.
 */
public final class MonitorUserProvisioner {
    /** ProxySQL connects from pods whose addresses change, hence any host. */
    static final String ACCOUNT_HOST = "%";
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._-]+|[0-9A-Fa-f:]+");
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9_]{1,32}");
    /** Alphanumeric, as the operator generates them (and as KubeDB's RotateAuth requires). */
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9]{8,128}");
    // Server errors meaning "you may not do this": DBACCESS_DENIED, ACCESS_DENIED (MariaDB's answer to a GRANT without
    // GRANT OPTION), TABLEACCESS_DENIED, SPECIFIC_ACCESS_DENIED ("you need the CREATE USER privilege"),
    // CANT_CREATE_USER_WITH_GRANT.
    private static final Set<Integer> PRIVILEGE_ERRORS = Set.of(1044, 1045, 1142, 1227, 1410);

    private final Duration connectTimeout;
    private final Duration socketTimeout;

    /** Short timeouts: this runs inside a reconcile, and an unreachable backend must not hold it for long. */
    public MonitorUserProvisioner(Duration connectTimeout, Duration socketTimeout) {
        this.connectTimeout = connectTimeout;
        this.socketTimeout = socketTimeout;
    }

    public static MonitorUserProvisioner withDefaultTimeouts() {
        return new MonitorUserProvisioner(Duration.ofSeconds(3), Duration.ofSeconds(5));
    }

    /** The message of a successful {@link #ensure}: depends only on its inputs, so it can be repeated without connecting. */
    public static String ensuredMessage(String host, int port, String username, List<MonitorGrant> grants) {
        return "User '" + username + "'@'" + ACCOUNT_HOST + "' exists on backend " + address(host, port)
                + " with the monitor's grants only: " + grants.stream().map(g -> g.serverDefined() == null ? g.toString()
                : g + " (where the server has it)").toList();
    }

    public MonitorUserResult ensure(String host, int port, Credentials login, Credentials monitor, List<MonitorGrant> grants) {
        String backend = address(host, port);
        String invalid = invalidInput(host, port, monitor);
        if (invalid != null) {
            return MonitorUserResult.failed(MonitorUserResult.INVALID_INPUT, "cannot ensure the monitor user on backend " + backend + ": " + invalid);
        }
        String who = "the AppBinding's user '" + login.username() + "'";
        Connection connection;
        try {
            connection = open(host, port, login);
        } catch (SQLException e) {
            return redacted(connectFailure(e, backend, who), login, monitor);
        }
        String account = "'" + monitor.username() + "'@'" + ACCOUNT_HOST + "'";
        String identified = " IDENTIFIED BY '" + monitor.password() + "'";
        try (connection; Statement statement = connection.createStatement()) {
            Set<String> serverPrivileges = serverPrivileges(statement);
            run(statement, "CREATE USER IF NOT EXISTS " + account + identified, "create the user " + account, "the CREATE USER privilege");
            run(statement, "ALTER USER " + account + identified, "set the password of " + account, "the CREATE USER privilege");
            for (MonitorGrant grant : grants) {
                if (grant.serverDefined() == null || serverPrivileges.contains(grant.serverDefined().toLowerCase(Locale.ROOT))) {
                    run(statement, "GRANT " + grant + " TO " + account, "grant " + grant + " to " + account,
                            grant + " itself, WITH GRANT OPTION");
                }
            }
            return new MonitorUserResult(true, MonitorUserResult.ENSURED, ensuredMessage(host, port, monitor.username(), grants));
        } catch (StepFailed e) {
            return redacted(e.failure(who, backend), login, monitor);
        } catch (SQLException e) {
            return redacted(MonitorUserResult.failed(kindReason(e), "connection to backend " + backend + " as " + who
                    + " failed: " + FailureClassifier.detail(e)), login, monitor);
        }
    }

    private Connection open(String host, int port, Credentials login) throws SQLException {
        return BackendConnections.open(host, port, login, connectTimeout, socketTimeout);
    }

    /** Lower-cased names from {@code SHOW PRIVILEGES}, which needs no privilege; decides the server-defined grants. */
    private static Set<String> serverPrivileges(Statement statement) throws SQLException {
        Set<String> names = new HashSet<>();
        try (ResultSet rows = statement.executeQuery("SHOW PRIVILEGES")) {
            while (rows.next()) {
                names.add(rows.getString(1).toLowerCase(Locale.ROOT));
            }
        }
        return names;
    }

    private static void run(Statement statement, String sql, String what, String needs) throws StepFailed {
        try {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new StepFailed(what, needs, e);
        }
    }

    static MonitorUserResult connectFailure(SQLException e, String backend, String who) {
        AdminFailureKind kind = FailureClassifier.kindOf(e, FailureClassifier.Phase.CONNECT);
        String summary = switch (kind) {
            case AUTHENTICATION_FAILED -> "backend " + backend + " refused the login of " + who;
            case TIMEOUT -> "timed out connecting to backend " + backend + " as " + who;
            case CONNECTION_REFUSED -> "backend " + backend + " refused the connection";
            default -> "backend " + backend + " is unreachable";
        };
        String reason = switch (kind) {
            case AUTHENTICATION_FAILED -> MonitorUserResult.LOGIN_REFUSED;
            case TIMEOUT -> MonitorUserResult.TIMEOUT;
            default -> MonitorUserResult.UNREACHABLE;
        };
        return MonitorUserResult.failed(reason, summary + ": " + FailureClassifier.detail(e));
    }

    static String kindReason(SQLException e) {
        return FailureClassifier.kindOf(e, FailureClassifier.Phase.QUERY) == AdminFailureKind.TIMEOUT
                ? MonitorUserResult.TIMEOUT : MonitorUserResult.STATEMENT_FAILED;
    }

    private static MonitorUserResult redacted(MonitorUserResult r, Credentials login, Credentials monitor) {
        String message = SecretRedactor.redact(SecretRedactor.redact(r.message(), login.password()), monitor.password());
        return new MonitorUserResult(r.ensured(), r.reason(), message);
    }

    private static String invalidInput(String host, int port, Credentials monitor) {
        if (host == null || !HOST.matcher(host).matches() || port < 1 || port > 65535) {
            return "the address is not a plain host name or IP address and port";
        }
        if (monitor.username() == null || !USERNAME.matcher(monitor.username()).matches()) {
            return "the monitor username must be 1 to 32 letters, digits or underscores";
        }
        if (monitor.password() == null || !PASSWORD.matcher(monitor.password()).matches()) {
            return "the monitor password must be 8 to 128 letters or digits";
        }
        return null;
    }

    private static String address(String host, int port) {
        return BackendConnections.address(host, port);
    }

    /** A statement the backend refused; carries what was being done and what that needs. */
    private static final class StepFailed extends Exception {
        private final String what;
        private final String needs;
        private final SQLException error;

        StepFailed(String what, String needs, SQLException error) {
            super(what, null, false, false);
            this.what = what;
            this.needs = needs;
            this.error = error;
        }

        MonitorUserResult failure(String who, String backend) {
            if (PRIVILEGE_ERRORS.contains(error.getErrorCode())) {
                return MonitorUserResult.failed(MonitorUserResult.PRIVILEGE_MISSING, who + " may not " + what + " on backend "
                        + backend + " (it needs " + needs + "): " + FailureClassifier.detail(error));
            }
            return MonitorUserResult.failed(kindReason(error), "backend " + backend + " could not " + what + " for " + who
                    + ": " + FailureClassifier.detail(error));
        }
    }
}
