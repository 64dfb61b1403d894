package dev.proxysql.operator.proxysql.backend;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of reading a backend's replication facts: the observation, or why there is none.
 *
 * @param backend     host:port, for messages
 * @param observation present when the server answered every query
 * @param reason      on failure, CamelCase ({@link MonitorUserResult}'s backend reasons: BackendUnreachable...)
 * @param message     on failure, for people: names the backend and the login user, never a password
 */
public record BackendModeReading(String backend, Optional<BackendModeObservation> observation, String reason, String message) {

    public BackendModeReading {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(observation, "observation");
    }

    public static BackendModeReading read(String backend, BackendModeObservation observation) {
        return new BackendModeReading(backend, Optional.of(observation), null, null);
    }

    public static BackendModeReading failed(String backend, String reason, String message) {
        return new BackendModeReading(backend, Optional.empty(), Objects.requireNonNull(reason), Objects.requireNonNull(message));
    }
}
