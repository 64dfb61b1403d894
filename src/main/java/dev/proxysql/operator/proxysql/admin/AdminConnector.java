package dev.proxysql.operator.proxysql.admin;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.util.Properties;

/**
 * Opens one unpooled Connector/J connection to a ProxySQL admin interface.
 *
 * <p>ProxySQL's admin module is SQLite behind the MySQL protocol: it answers a fixed set of
 * MySQL-isms (see the {@code SET ...} prefixes it acknowledges without running them in
 * {@code lib/ProxySQL_Admin.cpp}, "fix bug #1047") and fails any other session-setup statement, which
 * makes the driver abandon the connection. The options below keep Connector/J 3.x from sending any
 * statement outside that set while connecting; see {@link #connectionProperties}.
 */
public final class AdminConnector {

    // The driver is used directly rather than through DriverManager so that nothing here depends on,
    // or changes, JVM-wide driver registration or DriverManager's global login timeout.
    private final java.sql.Driver driver = new org.mariadb.jdbc.Driver();

    public Connection open(AdminEndpoint endpoint, AdminCredentials credentials, AdminTimeouts timeouts) throws SQLException {
        Connection connection = driver.connect(url(endpoint), connectionProperties(credentials, timeouts));
        if (connection == null) { // Driver.connect's way of saying "not my URL"; cannot happen for jdbc:mariadb:
            throw new SQLNonTransientConnectionException("Connector/J did not accept the URL for " + endpoint);
        }
        return connection;
    }

    /** No database in the path: ProxySQL's admin has no schemas to select, and none is needed. */
    static String url(AdminEndpoint endpoint) {
        return "jdbc:mariadb://" + endpoint.urlHost() + ":" + endpoint.port() + "/";
    }

    /**
     * {@link PlainLogin}'s properties plus what the admin module needs. The socket timeout bounds every read after
     * login; Statement.setQueryTimeout is deliberately not used: against MariaDB servers the driver implements it by
     * prefixing "SET STATEMENT max_statement_time=... FOR", which the admin module would not understand.
     */
    static Properties connectionProperties(AdminCredentials credentials, AdminTimeouts timeouts) {
        Properties p = PlainLogin.properties(credentials.username(), credentials.password(),
                timeouts.connectMillis(), timeouts.queryMillis());
        // Default true makes the driver send "set sql_mode=CONCAT(@@sql_mode,',STRICT_TRANS_TABLES')" on
        // connect; the admin module takes that for an unknown global variable and fails the connection.
        p.setProperty("jdbcCompliantTruncation", "false");
        // Text protocol only: the admin module does not implement COM_STMT_PREPARE.
        p.setProperty("useServerPrepStmts", "false");
        p.setProperty("cachePrepStmts", "false");
        // Client time zone without asking the server ("SELECT @@time_zone" is a MySQL-ism) and without
        // a "time_zone=..." session statement.
        p.setProperty("connectionTimeZone", "LOCAL");
        p.setProperty("forceConnectionTimeZoneToSession", "false");
        return p;
    }
}
