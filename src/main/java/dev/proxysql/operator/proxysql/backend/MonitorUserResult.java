package dev.proxysql.operator.proxysql.backend;

import java.util.Objects;

/**
 * The outcome of ensuring the monitor user on a backend.
 *
 * @param ensured whether the backend now has the user, with the Secret's password and the monitor's grants
 * @param reason  CamelCase, for a condition's reason
 * @param message for people: names the backend and, on failure, why; never a password
 */
public record MonitorUserResult(boolean ensured, String reason, String message) {
    public static final String ENSURED = "MonitorUserEnsured";
    public static final String UNREACHABLE = "BackendUnreachable";
    public static final String TIMEOUT = "BackendTimeout";
    public static final String LOGIN_REFUSED = "BackendLoginRefused";
    public static final String PRIVILEGE_MISSING = "BackendPrivilegeMissing";
    public static final String STATEMENT_FAILED = "BackendStatementFailed";
    public static final String INVALID_INPUT = "MonitorUserInvalid";

    public MonitorUserResult {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
    }

    static MonitorUserResult failed(String reason, String message) {
        return new MonitorUserResult(false, reason, message);
    }
}
