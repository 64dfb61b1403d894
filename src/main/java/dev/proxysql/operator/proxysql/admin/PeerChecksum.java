package dev.proxysql.operator.proxysql.admin;

import java.time.Instant;
import java.util.Objects;

/**
 * One row of {@code stats_proxysql_servers_checksums} on the node that was asked: what that node last
 * saw of one configuration module on one cluster peer (possibly itself).
 *
 * @param hostname  peer host as configured in {@code proxysql_servers}
 * @param port      peer admin port
 * @param module    the table's {@code name} column: the configuration module, e.g. {@code mysql_users},
 *                  {@code mysql_servers}, {@code mysql_query_rules}, {@code proxysql_servers},
 *                  {@code admin_variables}, {@code mysql_variables}
 * @param version   how often the peer loaded this module to runtime; 0 if never
 * @param epoch     when the peer last loaded it ({@link Instant#EPOCH} if never)
 * @param checksum  the peer's checksum of the module, e.g. {@code 0x1B2C3D4E5F607182}
 * @param changedAt when the asked node last saw this checksum change ({@link Instant#EPOCH} if never)
 * @param updatedAt when the asked node last fetched this row from the peer ({@link Instant#EPOCH} if never),
 *                  on the asked node's clock
 * @param diffCheck how many consecutive checks found the peer's checksum different from the asked node's
 */
public record PeerChecksum(
        String hostname,
        int port,
        String module,
        long version,
        Instant epoch,
        String checksum,
        Instant changedAt,
        Instant updatedAt,
        long diffCheck) {

    public PeerChecksum {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(epoch, "epoch");
        Objects.requireNonNull(checksum, "checksum");
        Objects.requireNonNull(changedAt, "changedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** {@code hostname:port}, how ProxySQL names a peer in its logs. */
    public String peer() {
        return hostname + ":" + port;
    }
}
