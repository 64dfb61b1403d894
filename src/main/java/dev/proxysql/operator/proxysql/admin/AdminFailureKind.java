package dev.proxysql.operator.proxysql.admin;

/** Why an admin check failed, coarse enough for a condition reason or a retry decision. */
public enum AdminFailureKind {
    /** Nothing listens on the admin port (TCP RST): ProxySQL is not running or not yet listening. */
    CONNECTION_REFUSED,
    /**
     * The admin interface could not be reached or no admin session could be opened for another reason
     * than refusal, login or timeout: unknown host, no route, connection reset, an error in the handshake.
     */
    UNREACHABLE,
    /** The admin interface answered but rejected the username/password. */
    AUTHENTICATION_FAILED,
    /** Connecting, logging in or waiting for an answer took longer than the configured timeout. */
    TIMEOUT,
    /** Logged in, but the query failed or its answer was not what ProxySQL's admin interface returns. */
    QUERY_FAILED
}
