package dev.proxysql.operator.proxysql.admin;

import java.util.Objects;

/**
 * One row of {@code runtime_proxysql_servers}: a ProxySQL Cluster peer the asked node syncs with (itself included).
 *
 * @param hostname as configured, e.g. {@code proxy-server-1.proxy-server-pods.demo.svc}
 * @param port     the peer's admin port
 */
public record ClusterPeer(String hostname, int port) {
    public ClusterPeer {
        Objects.requireNonNull(hostname, "hostname");
    }

    @Override
    public String toString() {
        return hostname + ":" + port;
    }
}
