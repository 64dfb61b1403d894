package dev.proxysql.operator.proxysql.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.proxysql.admin.FailureClassifier.Phase;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLInvalidAuthorizationSpecException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLSyntaxErrorException;
import java.sql.SQLTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * The exceptions below copy what Connector/J 3.5.3 throws (classes, SQLSTATEs, messages and causes were
 * recorded against a real MariaDB and closed/silent loopback ports); the ITs check the same paths live.
 */
class FailureClassifierTest {

    private static final AdminEndpoint ENDPOINT = new AdminEndpoint("mysql-proxy-0.mysql-proxy-pods.demo.svc", 6032);
    private static final String PASSWORD = "Zx9-secret-Pw";
    private static final AdminCredentials CREDENTIALS = new AdminCredentials("cluster", PASSWORD);

    @Test
    void refusedConnection() {
        SQLException e = new SQLNonTransientConnectionException(
                "Socket fail to connect to " + ENDPOINT + ". Connection refused", "08000",
                new ConnectException("Connection refused"));

        AdminFailure failure = classify(e, Phase.CONNECT);

        assertThat(failure.kind()).isEqualTo(AdminFailureKind.CONNECTION_REFUSED);
        assertThat(failure.message()).isEqualTo("connection refused by ProxySQL admin interface "
                + "mysql-proxy-0.mysql-proxy-pods.demo.svc:6032 as user 'cluster': "
                + "Socket fail to connect to mysql-proxy-0.mysql-proxy-pods.demo.svc:6032. Connection refused");
    }

    @Test
    void unknownHostAndNoRouteAreUnreachable() {
        SQLException unknown = new SQLNonTransientConnectionException("Socket fail to connect to x:6032. x", "08000",
                new UnknownHostException("x"));
        SQLException noRoute = new SQLNonTransientConnectionException("Socket fail to connect", "08000",
                new NoRouteToHostException("No route to host"));
        SQLException networkDown = new SQLNonTransientConnectionException("Socket fail to connect", "08000",
                new ConnectException("Network is unreachable"));

        assertThat(classify(unknown, Phase.CONNECT).kind()).isEqualTo(AdminFailureKind.UNREACHABLE);
        assertThat(classify(noRoute, Phase.CONNECT).kind()).isEqualTo(AdminFailureKind.UNREACHABLE);
        assertThat(classify(networkDown, Phase.CONNECT).kind()).isEqualTo(AdminFailureKind.UNREACHABLE);
    }

    @Test
    void accessDeniedWhileConnectingIsAuthenticationFailure() {
        SQLException e = new SQLInvalidAuthorizationSpecException(
                "(conn=6) Access denied for user 'cluster'@'10.0.0.7' (using password: YES)", "28000", 1045);

        AdminFailure failure = classify(e, Phase.CONNECT);

        assertThat(failure.kind()).isEqualTo(AdminFailureKind.AUTHENTICATION_FAILED);
        assertThat(failure.message()).isEqualTo("login rejected by ProxySQL admin interface "
                + "mysql-proxy-0.mysql-proxy-pods.demo.svc:6032 as user 'cluster': "
                + "Access denied for user 'cluster'@'10.0.0.7' (using password: YES)");
    }

    @Test
    void accessDeniedCodeWhileQueryingIsAQueryFailure() {
        // ProxySQL's admin module answers e.g. an unknown variable with 1045/28000 too.
        SQLException e = new SQLInvalidAuthorizationSpecException(
                "ProxySQL Admin Error: ERROR: Unknown global variable: '@@session.autocommit'.", "28000", 1045);

        assertThat(classify(e, Phase.QUERY).kind()).isEqualTo(AdminFailureKind.QUERY_FAILED);
    }

    @Test
    void handshakeTimeout() {
        SQLException e = new SQLTimeoutException("Socket timeout when connecting to 127.0.0.1:36553. Read timed out",
                "08000", new SocketTimeoutException("Read timed out"));

        AdminFailure failure = classify(e, Phase.CONNECT);

        assertThat(failure.kind()).isEqualTo(AdminFailureKind.TIMEOUT);
        assertThat(failure.message()).startsWith("timed out connecting to ProxySQL admin interface");
    }

    @Test
    void readTimeoutDuringAQueryIsATimeoutNotAQueryFailure() {
        SQLException e = new SQLNonTransientConnectionException("(conn=9) Socket error", "08000",
                new SocketTimeoutException("Read timed out"));

        AdminFailure failure = classify(e, Phase.QUERY);

        assertThat(failure.kind()).isEqualTo(AdminFailureKind.TIMEOUT);
        assertThat(failure.message()).startsWith("timed out waiting for an answer from ProxySQL admin interface");
    }

    @Test
    void serverErrorDuringAQuery() {
        SQLException e = new SQLSyntaxErrorException("(conn=7) no such table: stats_proxysql_servers_checksums", "42000", 1045);

        AdminFailure failure = classify(e, Phase.QUERY);

        assertThat(failure.kind()).isEqualTo(AdminFailureKind.QUERY_FAILED);
        assertThat(failure.message()).endsWith(": no such table: stats_proxysql_servers_checksums");
    }

    @Test
    void otherErrorsWhileConnectingAreUnreachable() {
        SQLException e = new SQLNonTransientConnectionException("Could not connect to 10.0.0.7:6032 : Connection reset", "08000",
                new java.net.SocketException("Connection reset"));

        assertThat(classify(e, Phase.CONNECT).kind()).isEqualTo(AdminFailureKind.UNREACHABLE);
    }

    @Test
    void neverRepeatsThePasswordEvenIfTheDriverDoes() {
        SQLException e = new SQLInvalidAuthorizationSpecException(
                "Access denied for user 'cluster' with password '" + PASSWORD + "' (" + PASSWORD + ")", "28000", 1045);

        AdminFailure failure = classify(e, Phase.CONNECT);

        assertThat(failure.message()).doesNotContain(PASSWORD).contains(SecretRedactor.MASK);
        assertThat(failure.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void keepsOnlyTheFirstLineOfLongDriverMessages() {
        SQLException e = new SQLSyntaxErrorException("first line\nQuery is: SELECT ...\njava thread: main", "42000", 1064);

        assertThat(classify(e, Phase.QUERY).message()).endsWith(": first line");
    }

    @Test
    void credentialsNeverPrintThePassword() {
        assertThat(CREDENTIALS.toString()).doesNotContain(PASSWORD).contains("cluster");
    }

    private static AdminFailure classify(SQLException e, Phase phase) {
        return FailureClassifier.classify(e, phase, ENDPOINT, CREDENTIALS);
    }
}
