package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.opsmanager.step.StopPoints;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.TLSConfig;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import dev.proxysql.operator.tls.CertificateAuthority;
import dev.proxysql.operator.tls.MySqlTlsProbe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link OpsStopPointsIT} for a ReconfigureTLS rotation on real ProxySQL: a rotateCertificates on 2 nodes is run once
 * uninterrupted to record its stop points (every write: status, finalizer, pause, the new certificate, each pod's
 * PROXYSQL RELOAD TLS, resume); then for each point a new rotation is stopped exactly there (the operator that stopped
 * is closed) and a fresh operator must finish it: Successful, every node serving the serial now in the Secret
 * (verified against the CA), the same processes as at the start, no pod replaced, and the ProxySQL resumed.
 */
@LocalCluster
class ReconfigureTlsStopPointsIT {

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(RealProxySqlDeployment.ADMIN, RealProxySqlDeployment.ADMIN_PASSWORD);

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @Test
    void everyStopPointOfARotationEndsAsAnUninterruptedRun(KubernetesClient client, TestNamespace ns, TestCluster cluster) throws Exception {
        OperatorFixture.installCatalogAndPolicies(client);
        RealProxySqlDeployment.installLocalVersions(client);
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        ProxySQLOperator deployer = StopPointRuns.start(cluster, StopPoints.NONE);
        ProxySqlPods pods;
        try {
            pods = RealProxySqlDeployment.deploy(client, ns, "px", 2, ProxySqlBuilds.newest(), PROXYSQL, px -> px.getSpec().setTls(new TLSConfig()));
        } finally {
            deployer.close();
        }
        try (pods) {
            Map<String, ProxySqlNode> nodes = new LinkedHashMap<>();
            Map<String, String> uids = new LinkedHashMap<>();
            for (String pod : List.of("px-0", "px-1")) {
                nodes.put(pod, pods.node(pod));
                uids.put(pod, client.pods().withName(pod).get().getMetadata().getUid());
            }
            BigInteger before = serial(client);
            List<String> points = StopPointRuns.record(client, cluster, rotate(ns, "r-clean"));
            List<String> failures = new ArrayList<>();
            check(client, pods, nodes, uids, before, "r-clean", failures);
            for (int i = 0; i < points.size(); i++) {
                BigInteger previous = serial(client);
                String name = "r" + i;
                String outcome = StopPointRuns.stopAndFinish(client, cluster, () -> rotate(ns, name), points.get(i));
                if (!outcome.equals(OpsRequestPhase.SUCCESSFUL.name())) {
                    failures.add(points.get(i) + ": ended " + outcome);
                    continue;
                }
                check(client, pods, nodes, uids, previous, points.get(i), failures);
            }
            System.err.printf("[reconfigure-tls-stop-points] %d points %s%n", points.size(), points);
            assertThat(failures).as("runs stopped at a point that did not end as the uninterrupted run").isEmpty();
            assertThat(points).contains("after RotatingCertificates: issue a new certificate", "after RotatingCertificates: reload TLS px-0",
                    "after RotatingCertificates: reload TLS px-1");
        }
    }

    private static ProxySQLOpsRequest rotate(TestNamespace ns, String name) {
        return OpsFixture.reconfigureTls(ns, name, "px", "rotateCertificates: true", "1m");
    }

    /** A new serial in the Secret, served by both nodes, the same processes, the same pods. */
    private static void check(KubernetesClient client, ProxySqlPods pods, Map<String, ProxySqlNode> nodes, Map<String, String> uids,
                              BigInteger previous, String point, List<String> failures) throws Exception {
        BigInteger now = serial(client);
        X509Certificate ca = certificate(client.secrets().withName("px-operator-ca").get());
        if (now.equals(previous)) {
            failures.add(point + ": the Secret still holds serial " + previous.toString(16));
        }
        for (String pod : nodes.keySet()) {
            if (pods.node(pod) != nodes.get(pod) || !uids.get(pod).equals(client.pods().withName(pod).get().getMetadata().getUid())) {
                failures.add(point + ": " + pod + " was replaced or restarted");
                continue;
            }
            BigInteger served = MySqlTlsProbe.handshake(pods.node(pod).address(), ProxySqlNode.MYSQL_PORT, ca).get(0).getSerialNumber();
            if (!served.equals(now)) {
                failures.add(point + ": " + pod + " serves serial " + served.toString(16) + ", the Secret holds " + now.toString(16));
            }
        }
    }

    private static BigInteger serial(KubernetesClient client) throws Exception {
        return certificate(client.secrets().withName("px-server-cert").get()).getSerialNumber();
    }

    private static X509Certificate certificate(Secret s) throws Exception {
        return CertificateAuthority.readCertificates(new StringReader(
                new String(Base64.getDecoder().decode(s.getData().get("tls.crt")), StandardCharsets.US_ASCII))).get(0);
    }
}
