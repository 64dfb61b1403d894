package dev.proxysql.operator.proxysql.admin;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Evaluates one node's {@code stats_proxysql_servers_checksums} after an update, when all nodes should
 * again run one build and sync with each other.
 *
 * <p>Why this matters: a ProxySQL node only syncs configuration with peers whose {@code @@version} is
 * string-equal to its own (lib/ProxySQL_Cluster.cpp), so during a rolling update old and new nodes stop
 * fetching from each other. Once every pod runs the new build, each node's rows should be fresh again
 * and every module's checksum should be the same on all peers.
 */
public final class ClusterChecksums {

    private ClusterChecksums() {
    }

    /**
     * Modules whose checksum differs between peers, each with the distinct checksums seen. Rows with
     * {@code version == 0} are ignored: the peer has not loaded that module yet, and its checksum then
     * says nothing about agreement.
     */
    public static Map<String, Set<String>> disagreeingModules(List<PeerChecksum> rows) {
        Objects.requireNonNull(rows, "rows");
        Map<String, Set<String>> checksumsByModule = rows.stream()
                .filter(row -> row.version() > 0)
                .collect(Collectors.groupingBy(PeerChecksum::module, TreeMap::new,
                        Collectors.mapping(PeerChecksum::checksum, Collectors.toCollection(TreeSet::new))));
        checksumsByModule.values().removeIf(checksums -> checksums.size() < 2);
        return checksumsByModule;
    }

    /**
     * Rows the node has not refreshed within {@code maxLag} of its most recently refreshed row.
     *
     * <p>Measured against the freshest row rather than the caller's clock because {@code updated_at} is
     * written with the asked node's clock, which may be skewed from the operator's. The blind spot: if
     * the node stopped refreshing every row, none lags the others; such a node usually also fails
     * {@link ProxySQLAdminClient#ping()}.
     */
    public static List<PeerChecksum> lagging(List<PeerChecksum> rows, Duration maxLag) {
        Objects.requireNonNull(rows, "rows");
        Objects.requireNonNull(maxLag, "maxLag");
        if (maxLag.isNegative()) {
            throw new IllegalArgumentException("maxLag must not be negative, was " + maxLag);
        }
        Instant freshest = rows.stream().map(PeerChecksum::updatedAt).max(Instant::compareTo).orElse(Instant.EPOCH);
        Instant oldestAllowed = freshest.minus(maxLag);
        return rows.stream().filter(row -> row.updatedAt().isBefore(oldestAllowed)).toList();
    }
}
