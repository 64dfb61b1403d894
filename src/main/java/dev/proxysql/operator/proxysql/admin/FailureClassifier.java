package dev.proxysql.operator.proxysql.admin;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.Locale;

/**
 * Turns Connector/J's exceptions into an {@link AdminFailure}. Pure: depends only on the exception,
 * the phase it happened in, and who was connecting. {@link #kindOf} and {@link #detail} are also used for
 * the operator's own connections to a backend (any MySQL-protocol server fails a connect the same way).
 */
public final class FailureClassifier {

    /** Where in a check the exception happened; the same error code means different things in each. */
    public enum Phase {
        /** TCP connect, MySQL handshake, login and the driver's session setup. */
        CONNECT,
        /** Running the check's query and reading its answer. */
        QUERY
    }

    // ER_ACCESS_DENIED_ERROR, which ProxySQL's admin module also sends for a bad login, and
    // ER_ACCESS_DENIED_NO_PASSWORD_ERROR.
    private static final int ACCESS_DENIED = 1045;
    private static final int ACCESS_DENIED_NO_PASSWORD = 1698;

    // Long driver messages (stack-like detail, SQL text) do not belong in a status condition.
    private static final int MAX_DETAIL_LENGTH = 300;

    private FailureClassifier() {
    }

    static AdminFailure classify(SQLException error, Phase phase, AdminEndpoint endpoint, AdminCredentials credentials) {
        AdminFailureKind kind = kindOf(error, phase);
        String where = "ProxySQL admin interface " + endpoint + " as user '" + credentials.username() + "'";
        String summary = switch (kind) {
            case CONNECTION_REFUSED -> "connection refused by " + where;
            case UNREACHABLE -> "could not open a session with " + where;
            case AUTHENTICATION_FAILED -> "login rejected by " + where;
            case TIMEOUT -> (phase == Phase.CONNECT ? "timed out connecting to " : "timed out waiting for an answer from ")
                    + where;
            case QUERY_FAILED -> "query failed on " + where;
        };
        String message = summary + ": " + detail(error);
        return new AdminFailure(kind, SecretRedactor.redact(message, credentials.password()));
    }

    public static AdminFailureKind kindOf(SQLException error, Phase phase) {
        // A timeout is a timeout in either phase; Connector/J reports a handshake timeout as
        // SQLTimeoutException and a read timeout during a query as a connection exception caused by
        // SocketTimeoutException.
        if (error instanceof SQLTimeoutException || hasCause(error, SocketTimeoutException.class)) {
            return AdminFailureKind.TIMEOUT;
        }
        if (phase == Phase.QUERY) {
            return AdminFailureKind.QUERY_FAILED;
        }
        ConnectException connect = cause(error, ConnectException.class);
        if (connect != null) {
            // "Connection refused" is ECONNREFUSED; other ConnectExceptions (e.g. "Network is
            // unreachable") mean the host could not be reached at all.
            String text = connect.getMessage() == null ? "" : connect.getMessage().toLowerCase(Locale.ROOT);
            return text.contains("refused") ? AdminFailureKind.CONNECTION_REFUSED : AdminFailureKind.UNREACHABLE;
        }
        if (hasCause(error, UnknownHostException.class)
                || hasCause(error, NoRouteToHostException.class)
                || hasCause(error, PortUnreachableException.class)) {
            return AdminFailureKind.UNREACHABLE;
        }
        // Only in the connect phase: ProxySQL's admin module also answers some failed *queries* with
        // 1045/28000 (e.g. "Unknown global variable"), which must not read as a bad password.
        if (isAccessDenied(error)) {
            return AdminFailureKind.AUTHENTICATION_FAILED;
        }
        return AdminFailureKind.UNREACHABLE;
    }

    private static boolean isAccessDenied(SQLException error) {
        String state = error.getSQLState();
        return error.getErrorCode() == ACCESS_DENIED
                || error.getErrorCode() == ACCESS_DENIED_NO_PASSWORD
                || (state != null && state.startsWith("28")); // SQLSTATE class 28: invalid authorization
    }

    /** The driver's message, first line only, without the connection id, shortened for a status condition. */
    public static String detail(SQLException error) {
        String text = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        // Connector/J prefixes server errors with "(conn=N) "; the connection id says nothing to a reader.
        text = text.replaceFirst("^\\(conn=\\d+\\) ", "");
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline);
        }
        return text.length() <= MAX_DETAIL_LENGTH ? text : text.substring(0, MAX_DETAIL_LENGTH) + "…";
    }

    private static boolean hasCause(Throwable error, Class<? extends Throwable> type) {
        return cause(error, type) != null;
    }

    private static <E extends Throwable> E cause(Throwable error, Class<E> type) {
        // Bounded walk: a cause chain with a cycle must not hang a health check.
        Throwable current = error;
        for (int depth = 0; current != null && depth < 20; depth++) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            current = current.getCause();
        }
        return null;
    }
}
