package dev.proxysql.operator.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLConfigurationSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLInitConfiguration;
import dev.proxysql.operator.api.kubedb.v1.TLSConfig;
import dev.proxysql.operator.proxysql.config.InitSecret;
import dev.proxysql.operator.provisioner.status.ConditionTypes;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.proxysql.LocalBackendBinding;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.tls.MySqlTlsProbe;
import dev.proxysql.operator.testing.proxysql.PodTlsMount;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.SecretVolume;
import dev.proxysql.operator.tls.CertificateAuthority;
import dev.proxysql.operator.topology.ProxySQLNames;
import dev.proxysql.operator.topology.TlsLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code spec.tls} without cert-manager, end to end on real ProxySQL: the provisioner creates its CA and a server
 * certificate, the StatefulSet mounts it and links it into ProxySQL's datadir; a real {@code proxysql} started as the
 * pod would be (the config Secret, the Secret laid out as the kubelet lays it out, the init container's own script)
 * serves that certificate. A client that trusts only the operator's CA completes the TLS handshake and queries the
 * MariaDB backend through ProxySQL as a user ProxySQL admits only over TLS; a rotated certificate is served after
 * {@code PROXYSQL RELOAD TLS}, without a restart.
 */
@LocalCluster
class TlsOnProxySqlIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String ADMIN = "kubedb_root";
    private static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final String APP_USER = "secure";
    private static final String APP_PASSWORD = "Secure-Pw-0042";

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(ADMIN, ADMIN_PASSWORD)
            .withInitStatement("CREATE DATABASE IF NOT EXISTS shop")
            .withUser(APP_USER, APP_PASSWORD, "ALL PRIVILEGES ON shop.*");

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startProvisioner);

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void clientsVerifyTheOperatorsCaAndARotatedCertificateIsServedAfterReloadTls(String version, KubernetesClient client,
                                                                                TestNamespace ns) throws Exception {
        deployBackend(client, ns);
        ProxySQL px = OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 1);
        px.getSpec().setTls(new TLSConfig());
        px.getSpec().setConfiguration(initSecret("px-users"));
        client.resource(px).create();

        StatefulSet sts = Await.present(TIMEOUT, "StatefulSet px", () -> client.apps().statefulSets().withName("px").get());
        X509Certificate ca = certificate(client.secrets().withName("px-operator-ca").get(), "tls.crt");
        Secret server = client.secrets().withName("px-server-cert").get();
        X509Certificate leaf = certificate(server, "tls.crt");
        assertThat(leaf.getSubjectAlternativeNames()).extracting(n -> String.valueOf(n.get(1)))
                .contains("px." + ns.name() + ".svc", "*.px-pods." + ns.name() + ".svc", "px-pods." + ns.name() + ".svc.cluster.local");
        assertThat(leaf.getExtendedKeyUsage()).containsExactly(KeyPurposeId.id_kp_serverAuth.getId());
        assertThat(certificate(client.secrets().withName("px-client-cert").get(), "tls.crt").getExtendedKeyUsage())
                .containsExactly(KeyPurposeId.id_kp_clientAuth.getId());

        ProxySqlNode node = startAsThePodWould(client, sts, version);
        List<X509Certificate> chain = MySqlTlsProbe.handshake(node.address(), ProxySqlNode.MYSQL_PORT, ca);
        assertThat(chain.get(0).getSerialNumber()).as("ProxySQL serves the provisioner's certificate").isEqualTo(leaf.getSerialNumber());
        assertThatThrownBy(() -> MySqlTlsProbe.handshake(node.address(), ProxySqlNode.MYSQL_PORT,
                CertificateAuthority.create("another CA", Duration.ofDays(1)).certificate()))
                .as("a client trusting another CA refuses the chain").isInstanceOf(SSLHandshakeException.class);
        assertThat(queryBackendPort(node, ca)).as("the query reached the MariaDB backend over the TLS connection").isEqualTo(MARIADB.port());
        assertThatThrownBy(() -> connect(node, null)).as("ProxySQL admits the use_ssl=1 user only over TLS")
                .isInstanceOf(SQLException.class);

        // Rotation: a new certificate from the same CA (the operator issues one when its Secret is lost), the kubelet
        // swaps the volume's content, and ProxySQL serves it after PROXYSQL RELOAD TLS — before that, still the old one.
        client.secrets().withName("px-server-cert").delete();
        Secret rotated = Await.until(TIMEOUT, "a new px-server-cert issued by the operator",
                () -> client.secrets().withName("px-server-cert").get(),
                s -> s != null && !serial(s).equals(leaf.getSerialNumber()));
        BigInteger newSerial = serial(rotated);
        volume(node).write(rotated);
        assertThat(MySqlTlsProbe.handshake(node.address(), ProxySqlNode.MYSQL_PORT, ca).get(0).getSerialNumber())
                .as("ProxySQL keeps the certificate it loaded until told to reload").isEqualTo(leaf.getSerialNumber());
        try (AdminSession admin = node.session()) {
            String uptimeBefore = admin.value("SELECT Variable_Value FROM stats_mysql_global WHERE Variable_Name = 'ProxySQL_Uptime'");
            admin.execute("PROXYSQL RELOAD TLS");
            assertThat(MySqlTlsProbe.handshake(node.address(), ProxySqlNode.MYSQL_PORT, ca).get(0).getSerialNumber())
                    .as("the rotated certificate after PROXYSQL RELOAD TLS").isEqualTo(newSerial);
            assertThat(Long.parseLong(admin.value("SELECT Variable_Value FROM stats_mysql_global WHERE Variable_Name = 'ProxySQL_Uptime'")))
                    .as("the same process, not restarted").isGreaterThanOrEqualTo(Long.parseLong(uptimeBefore));
        }
        assertThat(queryBackendPort(node, ca)).isEqualTo(MARIADB.port());
    }

    @Test
    void anIssuerRefWithoutCertManagerIsReportedNamingTheFieldAndNothingIsCreated(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        ProxySQL px = OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 1);
        px.getSpec().setTls(tls("Issuer", "ca-issuer"));
        client.resource(px).create();

        Condition dependency = Await.until(TIMEOUT, "DatabaseDependencyReady=False naming spec.tls.issuerRef",
                () -> condition(client, "px", ConditionTypes.DEPENDENCY_READY), c -> c != null && "False".equals(c.getStatus()));
        assertThat(dependency.getReason()).isEqualTo("CertManagerNotInstalled");
        assertThat(dependency.getMessage()).startsWith("spec.tls.issuerRef: Issuer \"ca-issuer\" needs cert-manager");
        assertThat(client.apps().statefulSets().withName("px").get()).isNull();
        assertThat(client.secrets().withName("px-server-cert").get()).as("no certificate from the operator's CA instead").isNull();
    }

    @Test
    void anIssuerRefOfAnotherKindIsRefusedAtAdmissionNamingTheField(KubernetesClient client, TestNamespace ns) {
        ProxySQL px = OperatorFixture.proxysql(ns.name(), "px", "2.6.3-debian", 1);
        px.getSpec().setTls(tls("Secret", "my-ca"));
        assertThatThrownBy(() -> client.resource(px).create()).isInstanceOf(KubernetesClientException.class)
                .hasMessageContaining("spec.tls.issuerRef.kind")
                .hasMessageContaining("must be Issuer or ClusterIssuer");
        assertThat(client.resources(ProxySQL.class).withName("px").get()).isNull();
    }

    private static TLSConfig tls(String kind, String name) {
        TypedLocalObjectReference issuer = new TypedLocalObjectReference();
        issuer.setKind(kind);
        issuer.setName(name);
        issuer.setApiGroup("cert-manager.io");
        TLSConfig tls = new TLSConfig();
        tls.setIssuerRef(issuer);
        return tls;
    }

    /**
     * A process for pod px-0, prepared as the kubelet would: the server certificate Secret in a Secret volume, then
     * the init container's script (taken from the StatefulSet, with the pod's paths mapped to the node's).
     */
    private static ProxySqlNode startAsThePodWould(KubernetesClient client, StatefulSet sts, String version) throws Exception {
        String cnf = new String(Base64.getDecoder().decode(client.secrets().withName("px-configuration").get()
                .getData().get(ProxySQLNames.CONFIG_KEY)), StandardCharsets.UTF_8);
        assertThat(cnf).contains("have_ssl=true");
        ProxySqlNode node = PROXYSQL.createNode(version, cnf, PROXYSQL.reserveAddresses(1).get(0), Map.of());
        assertThat(sts.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName()).isEqualTo("px-server-cert"));
        PodTlsMount.mount(sts.getSpec().getTemplate().getSpec(), client.secrets().withName("px-server-cert").get(), node);
        return node.start();
    }

    private static SecretVolume volume(ProxySqlNode node) {
        return PodTlsMount.volume(node);
    }

    private static int queryBackendPort(ProxySqlNode node, X509Certificate ca) throws Exception {
        try (Connection c = connect(node, ca); Statement sql = c.createStatement(); ResultSet rs = sql.executeQuery("SELECT @@port")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** As the application user; with {@code ca}, TLS required and the chain verified against it, else no TLS at all. */
    private static Connection connect(ProxySqlNode node, X509Certificate ca) throws SQLException {
        return node.connectAsClient(APP_USER, APP_PASSWORD, ca == null ? Map.of("sslMode", "disable")
                : Map.of("sslMode", "verify-ca", "serverSslCert", CertificateAuthority.pem(ca)));
    }

    private static void deployBackend(KubernetesClient client, TestNamespace ns) throws Exception {
        // Announced to clients as 10.11.0-MariaDB: Connector/J then speaks MariaDB.
        LocalBackendBinding.bind(client, ns.name(), MARIADB, ADMIN, ADMIN_PASSWORD);
        // The application user, declared to ProxySQL by the hash the backend stores, admitted only over TLS.
        client.secrets().inNamespace(ns.name()).resource(new SecretBuilder().withNewMetadata().withName("px-users").endMetadata()
                .withStringData(Map.of(InitSecret.MYSQL_USERS_KEY, "mysql_users=(\n { username=\"" + APP_USER + "\"; password=\""
                        + nativePasswordHash(APP_PASSWORD) + "\"; default_hostgroup=2; use_ssl=1; active=1 }\n)\n")).build()).create();
    }

    private static ProxySQLConfigurationSpec initSecret(String name) {
        ProxySQLInitConfiguration init = new ProxySQLInitConfiguration();
        init.setSecretName(name);
        ProxySQLConfigurationSpec configuration = new ProxySQLConfigurationSpec();
        configuration.setInit(init);
        return configuration;
    }

    private static Condition condition(KubernetesClient client, String name, String type) {
        ProxySQL p = client.resources(ProxySQL.class).withName(name).get();
        return p == null || p.getStatus() == null ? null : p.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static X509Certificate certificate(Secret s, String key) throws Exception {
        return CertificateAuthority.readCertificates(new StringReader(
                new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.US_ASCII))).get(0);
    }

    private static BigInteger serial(Secret s) {
        try {
            return certificate(s, "tls.crt").getSerialNumber();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nativePasswordHash(String password) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] once = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        return "*" + HexFormat.of().formatHex(sha1.digest(once)).toUpperCase(Locale.ROOT);
    }
}
