package dev.proxysql.operator.opsmanager.checks;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.opsmanager.rolling.VerifyResult;
import dev.proxysql.operator.provisioner.children.ProxySQLNames;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.proxysql.admin.ClusterPeer;
import dev.proxysql.operator.proxysql.admin.ProxySQLAdminClient;
import dev.proxysql.operator.proxysql.config.ProxySqlPeers;
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

    public AdminInterfaceCheck(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public VerifyResult verify(ProxySQL p, String pod, String expectedVersion) {
        Secret auth = client.secrets().inNamespace(p.getMetadata().getNamespace()).withName(ProxySQLNames.authSecret(p)).get();
        if (auth == null || auth.getData() == null || !auth.getData().containsKey("password")) {
            return VerifyResult.failed("cannot check pod " + pod + ": auth Secret " + ProxySQLNames.authSecret(p) + " has no password");
        }
        String host = pod + "." + ProxySQLNames.governingService(p) + "." + p.getMetadata().getNamespace() + ".svc";
        var admin = new ProxySQLAdminClient(new AdminEndpoint(host, ProxySQLNames.ADMIN_PORT),
                new AdminCredentials(decode(auth, "username", ProxySQLNames.CLUSTER_USER), decode(auth, "password", "")));
        VerifyResult result = NodeCheck.run(admin, expectedVersion, expectedPeers(p));
        return new VerifyResult(result.verdict(), "pod " + pod + ": " + result.message());
    }

    /** What the provisioner renders into proxysql_servers: every pod's stable DNS name, with more than one replica. */
    static Set<ClusterPeer> expectedPeers(ProxySQL p) {
        int replicas = ProxySQLNames.replicas(p);
        Set<ClusterPeer> peers = new LinkedHashSet<>();
        if (replicas > 1) {
            ProxySqlPeers.stableDnsNames(p.getMetadata().getName(), p.getMetadata().getNamespace(), replicas)
                    .forEach(host -> peers.add(new ClusterPeer(host, ProxySQLNames.ADMIN_PORT)));
        }
        return peers;
    }

    private static String decode(Secret s, String key, String fallback) {
        String b64 = s.getData().get(key);
        return b64 == null ? fallback : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
