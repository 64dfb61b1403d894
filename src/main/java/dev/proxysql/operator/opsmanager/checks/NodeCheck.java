package dev.proxysql.operator.opsmanager.checks;

import dev.proxysql.operator.opsmanager.rolling.VerifyResult;
import dev.proxysql.operator.proxysql.admin.AdminFailureKind;
import dev.proxysql.operator.proxysql.admin.AdminResult;
import dev.proxysql.operator.proxysql.admin.BackendProbe;
import dev.proxysql.operator.proxysql.admin.BackendServerState;
import dev.proxysql.operator.proxysql.admin.ClusterPeer;
import dev.proxysql.operator.proxysql.admin.ProxySQLAdminClient;
import dev.proxysql.operator.proxysql.admin.RunningVersion;
import dev.proxysql.operator.proxysql.admin.VersionMatch;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The three questions asked of a replaced ProxySQL through its admin interface, and the verdict. Each answer is one
 * of: passed, pending (not conclusive yet: the engine asks again until the step timeout) or failed (asking again
 * cannot help).
 * <ol>
 *   <li><b>Version</b> ({@code SELECT @@version}): the build the process runs, compared by major.minor.patch with the
 *       version the pod must run. Refused or timed-out connections are pending (the process may still be starting),
 *       and so is an unreachable one (unknown host, no route): on a real cluster the pod's DNS name is published
 *       some time after the new pod starts and cluster DNS may answer with the replaced pod's address for its TTL.
 *       A refused login, a failed query or another version fails.</li>
 *   <li><b>Cluster membership</b> ({@code runtime_proxysql_servers}), with more than one replica: the node lists
 *       every peer of the ProxySQL (its stable DNS names, admin port), itself included, and no other. Otherwise
 *       pending: a node syncs {@code proxysql_servers} from its peers, so a wrong list may still converge.</li>
 *   <li><b>Backend reachability</b> ({@code runtime_mysql_servers} and the monitor's newest connect/ping result per
 *       server): at least one backend server is ONLINE and the monitor's latest check of at least one of them
 *       succeeded. Otherwise pending, with the monitor's error: a pod that cannot reach the backend serves nothing,
 *       so it must not count as replaced, but a monitor that has not run yet is no failure.</li>
 * </ol>
 */
public final class NodeCheck {

    private NodeCheck() {
    }

    /**
     * @param expectedRelease the ProxySQL release the node must run (its ProxySQLVersion's {@code spec.version})
     * @param expectedPeers   the admin endpoints of every ProxySQL pod when there is more than one, else empty
     */
    public static VerifyResult run(ProxySQLAdminClient admin, String expectedRelease, Set<ClusterPeer> expectedPeers) {
        String where = "admin interface " + admin.endpoint();
        AdminResult<RunningVersion> running = admin.runningVersion();
        if (!running.isSuccess()) {
            return unanswered(where, running.failure().kind(), running.failure().message());
        }
        VersionMatch match = VersionMatch.of(expectedRelease, running.value());
        if (!match.matches()) {
            return VerifyResult.failed(where + ": " + match.message());
        }
        String version = "runs " + running.value().raw();
        if (!expectedPeers.isEmpty()) {
            AdminResult<List<ClusterPeer>> peers = admin.clusterPeers();
            if (!peers.isSuccess()) {
                return VerifyResult.pending(where + " " + version + "; cluster peers: " + peers.failure().message());
            }
            String membership = membership(expectedPeers, peers.value());
            if (membership != null) {
                return VerifyResult.pending(where + " " + version + "; runtime_proxysql_servers " + membership);
            }
            version += ", lists its " + expectedPeers.size() + " cluster peers";
        }
        String backend = backend(admin.backendServers(), admin.backendProbes());
        if (backend != null) {
            return VerifyResult.pending(where + " " + version + "; " + backend);
        }
        return VerifyResult.passed(where + " " + version + " and reaches its backend");
    }

    /** The verdict when the version question got no answer: pending while asking again can help, else failed. */
    static VerifyResult unanswered(String where, AdminFailureKind kind, String failure) {
        String message = where + ": " + failure;
        return switch (kind) {
            case CONNECTION_REFUSED, TIMEOUT, UNREACHABLE -> VerifyResult.pending(message);
            case AUTHENTICATION_FAILED, QUERY_FAILED -> VerifyResult.failed(message);
        };
    }

    /** Null when {@code actual} is exactly {@code expected}, else what is missing and what is extra. */
    static String membership(Set<ClusterPeer> expected, List<ClusterPeer> actual) {
        Set<String> want = expected.stream().map(ClusterPeer::toString).collect(Collectors.toCollection(TreeSet::new));
        Set<String> have = actual.stream().map(ClusterPeer::toString).collect(Collectors.toCollection(TreeSet::new));
        if (want.equals(have)) {
            return null;
        }
        Set<String> missing = new TreeSet<>(want);
        missing.removeAll(have);
        Set<String> extra = new TreeSet<>(have);
        extra.removeAll(want);
        return "lists " + have.size() + " of " + want.size() + " peers"
                + (missing.isEmpty() ? "" : "; missing " + String.join(", ", missing))
                + (extra.isEmpty() ? "" : "; not a peer: " + String.join(", ", extra));
    }

    /** Null when the node reaches its backend, else why not (yet). */
    static String backend(AdminResult<List<BackendServerState>> servers, AdminResult<List<BackendProbe>> probes) {
        if (!servers.isSuccess()) {
            return "backend servers: " + servers.failure().message();
        }
        if (servers.value().stream().noneMatch(BackendServerState::online)) {
            return servers.value().isEmpty() ? "no backend server in runtime_mysql_servers"
                    : "no backend server is ONLINE: " + servers.value();
        }
        if (!probes.isSuccess()) {
            return "monitor results: " + probes.failure().message();
        }
        Set<String> configured = servers.value().stream().map(s -> s.hostname() + ":" + s.port()).collect(Collectors.toSet());
        List<BackendProbe> relevant = probes.value().stream()
                .filter(p -> configured.contains(p.hostname() + ":" + p.port())).toList();
        if (relevant.isEmpty()) {
            return "the monitor has not checked the backend yet";
        }
        if (relevant.stream().noneMatch(BackendProbe::reachable)) {
            return "backend unreachable (the monitor's latest check of each server failed): " + relevant;
        }
        return null;
    }
}
