package dev.proxysql.operator.proxysql.config;

/**
 * One entry of {@code spec.configuration.init.inline.mysqlUsers} (KubeDB {@code MySQLUser}); the
 * fields mirror ProxySQL's {@code mysql_users} columns. There is deliberately no password: KubeDB
 * reads it from the backend, so these users are never written to {@code proxysql.cnf} (see
 * {@link ProxySqlCnfRenderer}). {@code null} means "not set".
 */
public record MySqlUser(
        String username,
        Integer active,
        Integer useSsl,
        Integer defaultHostgroup,
        String defaultSchema,
        Integer schemaLocked,
        Integer transactionPersistent,
        Integer fastForward,
        Integer backend,
        Integer frontend,
        Integer maxConnections,
        String attributes,
        String comment) {

    /** A user with only a name, for callers that have nothing else. */
    public static MySqlUser named(String username) {
        return new MySqlUser(username, null, null, null, null, null, null, null, null, null, null, null, null);
    }
}
