package dev.proxysql.operator.proxysql.backend;

import java.util.List;
import java.util.Objects;

/**
 * The backend's accounts as read from {@code mysql.user}, or why they could not be read.
 *
 * @param accounts every account, in the server's order; empty on failure
 * @param reason   on failure, CamelCase for a condition (the {@link MonitorUserResult} reasons)
 * @param message  on failure, names the backend and the login user; never a password
 */
public record BackendUsersResult(boolean read, List<BackendAccount> accounts, String reason, String message) {
    public BackendUsersResult {
        accounts = List.copyOf(accounts);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    static BackendUsersResult of(List<BackendAccount> accounts) {
        return new BackendUsersResult(true, accounts, "", "");
    }

    static BackendUsersResult failed(String reason, String message) {
        return new BackendUsersResult(false, List.of(), reason, message);
    }
}
