package dev.proxysql.operator.opsmanager.checks;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.opsmanager.rolling.VerifyResult;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminFailureKind;
import dev.proxysql.operator.proxysql.admin.AdminResult;
import dev.proxysql.operator.proxysql.admin.ClusterChecksums;
import dev.proxysql.operator.proxysql.admin.ClusterPeer;
import dev.proxysql.operator.proxysql.admin.PeerChecksum;
import dev.proxysql.operator.proxysql.admin.ProxySQLAdminClient;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * What a HorizontalScaling says to, and asks of, the ProxySQL Cluster's nodes through their admin interfaces: the
 * membership each node must list ({@code proxysql_servers}, runtime and disk), a leaving node's drain, and whether
 * a node agrees with its peers. The members of a count {@code m} are the pods of ordinals 0..m-1, named as the
 * provisioner renders them ({@link AdminEndpoints#peer}).
 */
public final class ClusterMembers {
    private final KubernetesClient client;
    private final AdminEndpoints endpoints;

    public ClusterMembers(KubernetesClient client, AdminEndpoints endpoints) {
        this.client = client;
        this.endpoints = endpoints;
    }

    /** The peers a node lists when the ProxySQL has {@code members} members (none for a single one). */
    public List<ClusterPeer> peers(ProxySQL p, int members) {
        List<ClusterPeer> peers = new ArrayList<>();
        for (int i = 0; members > 1 && i < members; i++) {
            var e = endpoints.peer(p, pod(p, i));
            peers.add(new ClusterPeer(e.host(), e.port()));
        }
        return peers;
    }

    /** Whether {@code pod} lists exactly {@code members} members at runtime; a failed question is empty. */
    public java.util.Optional<Boolean> lists(ProxySQL p, String pod, int members) {
        AdminResult<List<ClusterPeer>> have = admin(p, pod).clusterPeers();
        return have.isSuccess() ? java.util.Optional.of(NodeCheck.membership(Set.copyOf(peers(p, members)), have.value()) == null)
                : java.util.Optional.empty();
    }

    /** Tells {@code pod} that the cluster has {@code members} members (runtime and disk); null when done, else why not. */
    public String tell(ProxySQL p, String pod, int members) {
        AdminResult<Boolean> r = admin(p, pod).setClusterPeers(peers(p, members));
        return r.isSuccess() ? null : "pod " + pod + ": " + r.failure().message();
    }

    /** {@code PROXYSQL PAUSE} on {@code pod}: it stops accepting clients. Null when done or nothing listens any more. */
    public String stopAccepting(ProxySQL p, String pod) {
        AdminResult<Boolean> r = admin(p, pod).stopAcceptingClients();
        return r.isSuccess() || gone(r) ? null : "pod " + pod + ": " + r.failure().message();
    }

    /**
     * {@code PROXYSQL RESUME} on {@code pod}: a pod coming back after a drain accepts clients again (not paused counts
     * as done). Null when done, else why not.
     */
    public String accept(ProxySQL p, String pod) {
        AdminResult<Boolean> r = admin(p, pod).acceptClients();
        return r.isSuccess() ? null : "pod " + pod + ": PROXYSQL RESUME: " + r.failure().message();
    }

    /** The client connections {@code pod} still holds; 0 when its ProxySQL no longer answers (nothing to drain). */
    public long clientConnections(ProxySQL p, String pod) {
        AdminResult<Long> r = admin(p, pod).clientConnections();
        return r.isSuccess() ? r.value() : gone(r) ? 0 : Long.MAX_VALUE;
    }

    /**
     * A member after a change of membership: it lists exactly the {@code members} members, its checksum rows name no
     * other node (it probes no pod that is gone), and its peers agree with it on every module's checksum.
     */
    public VerifyResult agrees(ProxySQL p, String pod, int members) {
        ProxySQLAdminClient admin = admin(p, pod);
        AdminResult<List<ClusterPeer>> have = admin.clusterPeers();
        if (!have.isSuccess()) {
            return VerifyResult.pending("pod " + pod + ": cluster peers: " + have.failure().message());
        }
        String membership = NodeCheck.membership(Set.copyOf(peers(p, members)), have.value());
        if (membership != null) {
            return VerifyResult.pending("pod " + pod + ": runtime_proxysql_servers " + membership);
        }
        AdminResult<List<PeerChecksum>> sums = admin.peerChecksums();
        if (!sums.isSuccess()) {
            return VerifyResult.pending("pod " + pod + ": checksums: " + sums.failure().message());
        }
        Set<String> wanted = peers(p, members).stream().map(ClusterPeer::toString).collect(Collectors.toSet());
        Set<String> probed = sums.value().stream().map(s -> s.hostname() + ":" + s.port()).collect(Collectors.toCollection(TreeSet::new));
        if (!wanted.equals(probed)) {
            return VerifyResult.pending("pod " + pod + ": stats_proxysql_servers_checksums has rows for " + probed + ", not the "
                    + members + " members");
        }
        Map<String, Set<String>> disagreeing = ClusterChecksums.disagreeingModules(sums.value());
        if (!disagreeing.isEmpty()) {
            return VerifyResult.pending("pod " + pod + ": peers disagree on " + disagreeing.keySet());
        }
        return VerifyResult.passed("pod " + pod + " lists the " + members + " members and agrees with them on every checksum");
    }

    private static boolean gone(AdminResult<?> r) {
        AdminFailureKind kind = r.failure().kind();
        return kind == AdminFailureKind.CONNECTION_REFUSED || kind == AdminFailureKind.UNREACHABLE || kind == AdminFailureKind.TIMEOUT;
    }

    private ProxySQLAdminClient admin(ProxySQL p, String pod) {
        Secret auth = client.secrets().inNamespace(p.getMetadata().getNamespace()).withName(ProxySQLNames.authSecret(p)).get();
        return new ProxySQLAdminClient(endpoints.of(p, pod), new AdminCredentials(decode(auth, "username", ProxySQLNames.CLUSTER_USER),
                decode(auth, "password", "")));
    }

    private static String decode(Secret s, String key, String fallback) {
        String b64 = s == null || s.getData() == null ? null : s.getData().get(key);
        return b64 == null ? fallback : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }

    private static String pod(ProxySQL p, int ordinal) {
        return ProxySQLNames.statefulSet(p) + "-" + ordinal;
    }
}
