package dev.proxysql.operator.proxysql.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * The latest result of ProxySQL's monitor for one backend server: its most recent connect or ping check
 * ({@code monitor.mysql_server_connect_log}, {@code monitor.mysql_server_ping_log}), made with the monitor user.
 *
 * @param error the error ProxySQL recorded, or null when the check succeeded
 */
public record BackendProbe(String hostname, int port, Instant at, String error) {
    public BackendProbe {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(at, "at");
    }

    public boolean reachable() {
        return error == null || error.isBlank();
    }

    @Override
    public String toString() {
        return hostname + ":" + port + (reachable() ? " reachable" : ": " + error);
    }
}
