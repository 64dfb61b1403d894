package dev.proxysql.operator.proxysql.config;

/**
 * A {@code mysql_users} entry that was intentionally left out of {@code proxysql.cnf} because no password
 * is known at render time; the provisioner must add it at runtime once it has the password from the backend.
 *
 * @param username the user's name
 * @param path     where the user was declared
 * @param reason   why it was deferred
 */
public record DeferredUser(String username, String path, String reason) {

    public static final String PASSWORD_FROM_BACKEND = "deferred: password is synced from the backend at runtime";
}
