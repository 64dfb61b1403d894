package dev.proxysql.operator.proxysql.admin;

import java.util.Objects;

/**
 * One row of {@code runtime_mysql_servers}: a backend server in one hostgroup, as the asked node routes to it now.
 *
 * @param status ONLINE, SHUNNED, OFFLINE_SOFT or OFFLINE_HARD
 */
public record BackendServerState(int hostgroup, String hostname, int port, String status) {
    public static final String ONLINE = "ONLINE";

    public BackendServerState {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(status, "status");
    }

    public boolean online() {
        return ONLINE.equalsIgnoreCase(status);
    }

    @Override
    public String toString() {
        return hostname + ":" + port + " (hostgroup " + hostgroup + ", " + status + ")";
    }
}
