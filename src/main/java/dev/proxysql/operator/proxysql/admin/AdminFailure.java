package dev.proxysql.operator.proxysql.admin;

import java.util.Objects;

/**
 * A classified failure of an admin check.
 *
 * @param kind    what went wrong, for code
 * @param message for people, e.g. a status condition's message: names the endpoint and user, never the
 *                password
 */
public record AdminFailure(AdminFailureKind kind, String message) {

    public AdminFailure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
