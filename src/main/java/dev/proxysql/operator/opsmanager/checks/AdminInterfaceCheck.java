package dev.proxysql.operator.opsmanager.checks;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.opsmanager.rolling.VerifyResult;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.proxysql.admin.ClusterPeer;
import dev.proxysql.operator.proxysql.admin.ProxySQLAdminClient;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Asks the replaced pod's admin interface (port 6032, through its stable DNS name), as the {@code cluster} user of
 * the auth Secret, the questions of {@link NodeCheck}: the version it runs, its cluster peers, its backend.
 */
public final class AdminInterfaceCheck implements ProxySQLLevelCheck {
    private final KubernetesClient client;
    private final AdminEndpoints endpoints;

    public AdminInterfaceCheck(KubernetesClient client) {
        this(client, AdminEndpoints.podDns());
    }

    /** {@code endpoints}: where pods are reached; tests whose pods stand for local processes give their addresses. */
    public AdminInterfaceCheck(KubernetesClient client, AdminEndpoints endpoints) {
        this.client = client;
        this.endpoints = endpoints;
    }

    @Override
    public java.util.Optional<ClusterMembers> members() {
        return java.util.Optional.of(new ClusterMembers(client, endpoints));
    }

    @Override
    public VerifyResult verify(ProxySQL p, String pod, String expectedRelease) {
        Secret auth = client.secrets().inNamespace(p.getMetadata().getNamespace()).withName(ProxySQLNames.authSecret(p)).get();
        if (auth == null || auth.getData() == null || !auth.getData().containsKey("password")) {
            return VerifyResult.failed("cannot check pod " + pod + ": auth Secret " + ProxySQLNames.authSecret(p) + " has no password");
        }
        var admin = new ProxySQLAdminClient(endpoints.of(p, pod),
                new AdminCredentials(decode(auth, "username", ProxySQLNames.CLUSTER_USER), decode(auth, "password", "")));
        VerifyResult result = NodeCheck.run(admin, expectedRelease, expectedPeers(p));
        return new VerifyResult(result.verdict(), "pod " + pod + ": " + result.message());
    }

    /** What the provisioner renders into proxysql_servers, with more than one replica: every pod's peer name. */
    Set<ClusterPeer> expectedPeers(ProxySQL p) {
        int replicas = ProxySQLNames.replicas(p);
        Set<ClusterPeer> peers = new LinkedHashSet<>();
        for (int i = 0; replicas > 1 && i < replicas; i++) {
            AdminEndpoint e = endpoints.peer(p, ProxySQLNames.statefulSet(p) + "-" + i);
            peers.add(new ClusterPeer(e.host(), e.port()));
        }
        return peers;
    }

    private static String decode(Secret s, String key, String fallback) {
        String b64 = s.getData().get(key);
        return b64 == null ? fallback : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
