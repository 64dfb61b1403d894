package dev.proxysql.operator.proxysql.backend;

import dev.proxysql.operator.proxysql.admin.PlainLogin;
import dev.proxysql.operator.proxysql.admin.SecretRedactor;
import dev.proxysql.operator.proxysql.config.Credentials;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * How the operator logs in to a backend server with the AppBinding's credentials: plain TCP, bounded connect and
 * read timeouts (this runs inside a reconcile), the password only in driver properties.
 */
final class BackendConnections {
    // Used directly, not through DriverManager: no JVM-wide registration or global login timeout involved.
    private static final java.sql.Driver DRIVER = new org.mariadb.jdbc.Driver();

    private BackendConnections() {
    }

    static Connection open(String host, int port, Credentials login, Duration connectTimeout, Duration socketTimeout)
            throws SQLException {
        Properties p = PlainLogin.properties(login.username(), login.password(),
                Math.toIntExact(connectTimeout.toMillis()), Math.toIntExact(socketTimeout.toMillis()));
        String host4url = host.contains(":") ? "[" + host + "]" : host;
        Connection c = DRIVER.connect("jdbc:mariadb://" + host4url + ":" + port + "/", p);
        if (c == null) { // Driver.connect's "not my URL"; cannot happen for jdbc:mariadb:
            throw new SQLException("Connector/J did not accept the URL for " + address(host, port));
        }
        return c;
    }

    /**
     * A login as the AppBinding's user: the open connection, or why there is none ({@link MonitorUserProvisioner}'s
     * reasons, the message naming the backend and the user, the password redacted).
     */
    record Login(Connection connection, String failureReason, String failureMessage) {
        boolean failed() {
            return connection == null;
        }
    }

    static Login login(String host, int port, Credentials login, Duration connectTimeout, Duration socketTimeout) {
        try {
            return new Login(open(host, port, login, connectTimeout, socketTimeout), null, null);
        } catch (SQLException e) {
            MonitorUserResult failed = MonitorUserProvisioner.connectFailure(e, address(host, port), who(login));
            return new Login(null, failed.reason(), SecretRedactor.redact(failed.message(), login.password()));
        }
    }

    /** How messages name the login user. */
    static String who(Credentials login) {
        return "the AppBinding's user '" + login.username() + "'";
    }

    /** host:port, an IPv6 address in brackets. */
    static String address(String host, int port) {
        return (host != null && host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
