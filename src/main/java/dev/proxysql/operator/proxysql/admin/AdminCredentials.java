package dev.proxysql.operator.proxysql.admin;

import java.util.Objects;

/**
 * The admin user to log in as; for KubeDB-managed ProxySQL this is the {@code cluster} user from the
 * {@code <name>-auth} Secret (it is in {@code admin-admin_credentials}, and unlike {@code admin} it may
 * log in remotely).
 *
 * <p>{@link #toString()} never shows the password, so the record is safe to log or put in messages.
 */
public record AdminCredentials(String username, String password) {

    public AdminCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        if (username.isEmpty()) {
            throw new IllegalArgumentException("admin username must not be empty");
        }
    }

    @Override
    public String toString() {
        return "AdminCredentials[username=" + username + ", password=<redacted>]";
    }
}
