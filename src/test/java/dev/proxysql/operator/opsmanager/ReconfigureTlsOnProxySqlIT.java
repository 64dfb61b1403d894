package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.message;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.api.kubedb.v1.MySQLUser;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.PodTlsMount;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import dev.proxysql.operator.tls.CertificateAuthority;
import dev.proxysql.operator.tls.MySqlTlsProbe;
import dev.proxysql.operator.topology.TlsLayout;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ReconfigureTLS through the whole operator on real ProxySQL ({@link ProxySqlPods}: each pod a real {@code proxysql},
 * the pod's TLS Secret laid out as the kubelet lays it out and updated when the Secret changes, the init container's
 * own link script run): add (pods replaced one at a time; each then serves a certificate a client verifies against the
 * operator's CA), rotate (a new serial served by every pod after PROXYSQL RELOAD TLS, same process, no pod replaced),
 * remove (pods replaced again; the CA's certificate is no longer served, plain logins work), and an add whose second
 * pod does not start, rolled back to pods without TLS.
 */
@LocalCluster
class ReconfigureTlsOnProxySqlIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String APP_PASSWORD = "AppPw1234567";

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(RealProxySqlDeployment.ADMIN, RealProxySqlDeployment.ADMIN_PASSWORD)
            .withUser("app", APP_PASSWORD, "SELECT ON *.*");

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @RegisterExtension
    static final InProcessOperator OPERATOR = RealProxySqlDeployment.operator(RealProxySqlDeployment::installLocalVersions);

    static Stream<String> builds() {
        return ProxySqlBuilds.versions().stream();
    }

    @ParameterizedTest
    @MethodSource("builds")
    void addRotateAndRemoveTlsOnEveryNode(String build, KubernetesClient client, TestNamespace ns) throws Exception {
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        try (ProxySqlPods pods = RealProxySqlDeployment.deploy(client, ns, "px", 2, build, PROXYSQL, ReconfigureTlsOnProxySqlIT::withAppUser)) {
            awaitPlainLogin(pods, "px-0");
            Map<String, String> uids = podUids(client);

            // 1. add: the operator's CA issues, the pods are replaced one at a time and serve its certificate.
            client.resource(OpsFixture.reconfigureTls(ns, "add", "px", "certificates: [{alias: server, subject: {organizations: [shop]}}]", "2m"))
                    .create();
            ProxySQLOpsRequest added = awaitOps(client, "add", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
            assertThat(message(added, "Successful")).contains("operator's own CA");
            // KubeDB's condition types, for tooling written for KubeDB (ReconfigureTlsConditions).
            assertThat(kubeDbTls(added)).containsExactly(Map.entry("AddTLS", "True AddTLSSucceeded"),
                    Map.entry("CertificateSynced", "True CertificateSynced"), Map.entry("IssueCertificatesSucceeded", "True IssueCertificatesSucceeded"),
                    Map.entry("Issuing", "True IssueCertificatesSucceeded"));
            assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getTls()).isNotNull();
            Map<String, String> afterAdd = podUids(client);
            assertThat(afterAdd).as("every pod replaced").allSatisfy((pod, uid) -> assertThat(uid).isNotEqualTo(uids.get(pod)));
            X509Certificate ca = certificate(client.secrets().withName("px-operator-ca").get(), "tls.crt");
            BigInteger first = serial(client);
            for (String pod : List.of("px-0", "px-1")) {
                assertThat(served(pods, pod, ca)).as("%s serves the operator's certificate, verified against its CA", pod).isEqualTo(first);
                assertThatThrownBy(() -> MySqlTlsProbe.handshake(pods.node(pod).address(), ProxySqlNode.MYSQL_PORT,
                        CertificateAuthority.create("another CA", Duration.ofDays(1)).certificate())).as("a client trusting another CA refuses it");
            }
            assertThat(queryOverTls(pods, "px-1", ca)).isEqualTo(MARIADB.port());
            assertNotPaused(client, "px");

            // 2. rotate: a new serial on every node, the same processes, no pod replaced.
            Map<String, ProxySqlNode> nodes = new LinkedHashMap<>();
            Map<String, Long> uptimes = new LinkedHashMap<>();
            for (String pod : List.of("px-0", "px-1")) {
                nodes.put(pod, pods.node(pod));
                uptimes.put(pod, uptime(pods.node(pod)));
            }
            client.resource(OpsFixture.reconfigureTls(ns, "rotate", "px", "rotateCertificates: true", "1m")).create();
            ProxySQLOpsRequest rotated = awaitOps(client, "rotate", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
            BigInteger second = serial(client);
            assertThat(kubeDbTls(rotated)).containsExactly(Map.entry("CertificateSynced", "True CertificateSynced"),
                    Map.entry("IssueCertificatesSucceeded", "True IssueCertificatesSucceeded"), Map.entry("Issuing", "True IssueCertificatesSucceeded"));
            assertThat(second).as("a new server certificate").isNotEqualTo(first);
            assertThat(podUids(client)).as("no pod replaced").isEqualTo(afterAdd);
            for (String pod : List.of("px-0", "px-1")) {
                assertThat(message(rotated, "ReloadTLS--" + pod)).contains("serial " + second.toString(16));
                assertThat(pods.node(pod)).as("the same process for %s", pod).isSameAs(nodes.get(pod));
                assertThat(uptime(pods.node(pod))).as("%s not restarted", pod).isGreaterThanOrEqualTo(uptimes.get(pod));
                assertThat(served(pods, pod, ca)).as("%s serves the new serial", pod).isEqualTo(second);
            }
            assertThat(queryOverTls(pods, "px-0", ca)).isEqualTo(MARIADB.port());

            // 3. remove: pods replaced without the certificate; the CA's certificate is no longer served, plain logins work.
            client.resource(OpsFixture.reconfigureTls(ns, "remove", "px", "remove: true", "2m")).create();
            ProxySQLOpsRequest removed = awaitOps(client, "remove", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
            assertThat(kubeDbTls(removed)).containsExactly(Map.entry("RemoveTLS", "True RemoveTLSSucceeded"));
            assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getTls()).isNull();
            assertThat(client.apps().statefulSets().withName("px").get().getSpec().getTemplate().getSpec().getInitContainers())
                    .noneMatch(c -> TlsLayout.INIT_CONTAINER.equals(c.getName()));
            for (String pod : List.of("px-0", "px-1")) {
                assertThat(PodTlsMount.secretName(client.pods().withName(pod).get().getSpec())).isEmpty();
                // ProxySQL 2.6+ still offers TLS (mysql-have_ssl defaults to true) with a certificate it generates itself when
                // its datadir has none: the handshake fails on the chain, not for want of TLS.
                assertThatThrownBy(() -> MySqlTlsProbe.handshake(pods.node(pod).address(), ProxySqlNode.MYSQL_PORT, ca))
                        .as("%s no longer serves the operator's certificate", pod).isInstanceOf(SSLHandshakeException.class);
                awaitPlainLogin(pods, pod);
            }
            assertNotPaused(client, "px");
        }
    }

    @ParameterizedTest
    @MethodSource("builds")
    void anAddWhosePodDoesNotStartIsRolledBackToPodsWithoutTls(String build, KubernetesClient client, TestNamespace ns) throws Exception {
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        try (ProxySqlPods pods = RealProxySqlDeployment.deploy(client, ns, "px", 2, build, PROXYSQL, ReconfigureTlsOnProxySqlIT::withAppUser)) {
            // px-1 with the TLS template never runs, as a pod whose container does not start.
            pods.refuseToStart(pod -> "px-1".equals(pod.getMetadata().getName()) && PodTlsMount.secretName(pod.getSpec()).isPresent());
            client.resource(OpsFixture.reconfigureTls(ns, "add", "px", "certificates: [{alias: server}]", "20s")).create();
            ProxySQLOpsRequest failed = awaitOps(client, "add", OpsRequestPhase.FAILED, TIMEOUT);
            assertThat(message(failed, "Failed")).contains("px-1")
                    .contains("rolled back: every pod is back on the pod template rendered from the ProxySQL's spec");
            assertThat(kubeDbTls(failed)).as("issued, but the add failed").containsExactly(Map.entry("AddTLS", "False AddTLSFailed"),
                    Map.entry("CertificateSynced", "True CertificateSynced"), Map.entry("IssueCertificatesSucceeded", "True IssueCertificatesSucceeded"),
                    Map.entry("Issuing", "True IssueCertificatesSucceeded"));
            assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getTls()).as("spec.tls unchanged").isNull();
            for (String pod : List.of("px-0", "px-1")) {
                Pod live = client.pods().withName(pod).get();
                assertThat(PodTlsMount.secretName(live.getSpec())).as("%s back on the template without TLS", pod).isEmpty();
                Await.until(TIMEOUT, "a ProxySQL process for " + pod + " again", () -> pods.node(pod), n -> n != null && n.answering());
                awaitPlainLogin(pods, pod);
            }
            assertNotPaused(client, "px");
        }
    }

    /** The application user, declared in the ProxySQL's inline config; ProxySQL takes its hash from the backend. */
    /** The request's conditions of KubeDB's ReconfigureTLS types, as "status reason" by type. */
    private static Map<String, String> kubeDbTls(ProxySQLOpsRequest r) {
        Set<String> types = Set.of("AddTLS", "RemoveTLS", "Issuing", "IssueCertificatesSucceeded", "CertificateSynced", "IssueCertificatesFailed");
        Map<String, String> out = new java.util.TreeMap<>();
        r.getStatus().getConditions().stream().filter(c -> types.contains(c.getType()))
                .forEach(c -> out.put(c.getType(), c.getStatus() + " " + c.getReason()));
        return out;
    }

    private static void withAppUser(ProxySQL px) {
        MySQLUser app = new MySQLUser();
        app.setUsername("app");
        app.setDefaultHostgroup(2);
        px.getSpec().getConfiguration().getInit().getInline().setMysqlUsers(List.of(app));
    }

    private static void awaitPlainLogin(ProxySqlPods pods, String pod) {
        Await.until(TIMEOUT, "a plain (no TLS) login as app through " + pod, () -> {
            try (Connection c = pods.node(pod).connectAsClient("app", APP_PASSWORD, Map.of("sslMode", "disable"));
                 ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
                return rs.next();
            } catch (SQLException | RuntimeException e) {
                return false;
            }
        });
    }

    private static int queryOverTls(ProxySqlPods pods, String pod, X509Certificate ca) throws Exception {
        try (Connection c = pods.node(pod).connectAsClient("app", APP_PASSWORD,
                Map.of("sslMode", "verify-ca", "serverSslCert", CertificateAuthority.pem(ca)));
             ResultSet rs = c.createStatement().executeQuery("SELECT @@port")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static BigInteger served(ProxySqlPods pods, String pod, X509Certificate ca) throws Exception {
        return MySqlTlsProbe.handshake(pods.node(pod).address(), ProxySqlNode.MYSQL_PORT, ca).get(0).getSerialNumber();
    }

    private static long uptime(ProxySqlNode node) throws SQLException {
        try (AdminSession admin = node.session()) {
            return Long.parseLong(admin.value("SELECT Variable_Value FROM stats_mysql_global WHERE Variable_Name = 'ProxySQL_Uptime'"));
        }
    }

    private static Map<String, String> podUids(KubernetesClient client) {
        Map<String, String> uids = new LinkedHashMap<>();
        for (String pod : List.of("px-0", "px-1")) {
            uids.put(pod, client.pods().withName(pod).get().getMetadata().getUid());
        }
        return uids;
    }

    private static BigInteger serial(KubernetesClient client) throws Exception {
        return certificate(client.secrets().withName("px-server-cert").get(), "tls.crt").getSerialNumber();
    }

    private static X509Certificate certificate(Secret s, String key) throws Exception {
        return CertificateAuthority.readCertificates(new StringReader(
                new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.US_ASCII))).get(0);
    }
}
