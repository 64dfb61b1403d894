package dev.proxysql.operator.opsmanager.checks;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.opsmanager.rolling.VerifyResult;
import dev.proxysql.operator.provisioner.children.ProxySQLNames;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.proxysql.admin.AdminResult;
import dev.proxysql.operator.proxysql.admin.ProxySQLAdminClient;
import dev.proxysql.operator.proxysql.admin.RunningVersion;
import dev.proxysql.operator.proxysql.admin.VersionMatch;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Asks the replaced pod's admin interface (port 6032, through its stable DNS name) which version it runs, as the
 * {@code cluster} user of the auth Secret, and compares major.minor.patch with the expected ProxySQLVersion.
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
        AdminResult<RunningVersion> running = admin.runningVersion();
        if (!running.isSuccess()) {
            return VerifyResult.failed("admin interface of pod " + pod + ": " + running.failure().message());
        }
        VersionMatch match = VersionMatch.of(expectedVersion, running.value());
        return match.matches() ? VerifyResult.passed("admin interface of pod " + pod + " reports " + running.value().raw())
                : VerifyResult.failed("admin interface of pod " + pod + ": " + match.message());
    }

    private static String decode(Secret s, String key, String fallback) {
        String b64 = s.getData().get(key);
        return b64 == null ? fallback : new String(Base64.getDecoder().decode(b64), StandardCharsets.UTF_8);
    }
}
