package dev.proxysql.operator.provisioner;

import static dev.proxysql.operator.testing.OperatorFixture.createBackend;
import static dev.proxysql.operator.testing.OperatorFixture.proxysql;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.TLSConfig;
import dev.proxysql.operator.tls.CertificateFactory;
import dev.proxysql.operator.provisioner.status.ConditionTypes;
import dev.proxysql.operator.testing.CertificateCrd;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.tls.CertificateAuthority;
import dev.proxysql.operator.topology.KubeDbLabels;
import dev.proxysql.operator.topology.TlsLayout;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code spec.tls.issuerRef} against a real API server serving cert-manager's Certificate CRD (no cert-manager runs):
 * the provisioner creates the Certificates as KubeDB names them, waits (nothing else created, the condition naming the
 * Secret) until the server certificate's Secret exists, which the test writes as cert-manager would, then mounts it.
 */
@LocalCluster
class CertManagerCertificatesIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startProvisioner, CertificateCrd::install);

    @AfterAll
    static void removeCrd(KubernetesClient admin) {
        CertificateCrd.remove(admin);
    }

    @Test
    void certificatesAsKubeDbNamesThemThenTheIssuedSecretIsMounted(KubernetesClient client, TestNamespace ns) {
        createBackend(client, ns.name());
        ProxySQL p = proxysql(ns.name(), "px", "2.6.3-debian", 1);
        p.getSpec().setTls(tls(List.of(Map.of("alias", "server", "dnsNames", List.of("proxysql.example.com"), "duration", "2160h"))));
        client.resource(p).create();

        GenericKubernetesResource server = Await.present(TIMEOUT, "Certificate px-server-cert", () -> certificate(client, "px-server-cert"));
        GenericKubernetesResource clientCert = Await.present(TIMEOUT, "Certificate px-client-cert", () -> certificate(client, "px-client-cert"));
        assertThat(server.<String>get("spec", "secretName")).isEqualTo("px-server-cert");
        assertThat(server.<Map<String, Object>>get("spec", "issuerRef"))
                .containsEntry("name", "ca-issuer").containsEntry("kind", "ClusterIssuer").containsEntry("group", "cert-manager.io");
        assertThat(server.<List<String>>get("spec", "dnsNames"))
                .contains("px." + ns.name() + ".svc", "*.px-pods." + ns.name() + ".svc", "proxysql.example.com");
        assertThat(server.<String>get("spec", "duration")).isEqualTo("2160h");
        assertThat(server.<List<String>>get("spec", "usages")).contains("server auth");
        assertThat(clientCert.<String>get("spec", "secretName")).isEqualTo("px-client-cert");
        assertThat(clientCert.<List<String>>get("spec", "usages")).contains("client auth");
        assertThat(certificate(client, "px-metrics-exporter-cert")).as("no exporter certificate without monitoring").isNull();

        Condition waiting = Await.until(TIMEOUT, "DatabaseDependencyReady=False waiting for the server certificate",
                () -> condition(client, ConditionTypes.DEPENDENCY_READY), c -> c != null && "CertificateNotIssued".equals(c.getReason()));
        assertThat(waiting.getMessage()).startsWith("spec.tls.issuerRef: waiting for cert-manager to issue the Secret \"px-server-cert\"");
        assertThat(client.apps().statefulSets().withName("px").get()).as("nothing mounts a Secret that does not exist").isNull();

        // What cert-manager writes: kubernetes.io/tls with tls.crt, tls.key, ca.crt, labelled from the secretTemplate.
        CertificateAuthority ca = CertificateAuthority.create("test issuer", Duration.ofDays(1));
        CertificateAuthority.Issued issued = ca.issue(TlsLayout.serverHosts(p), Duration.ofDays(1), KeyPurposeId.id_kp_serverAuth);
        client.resource(new SecretBuilder().withNewMetadata().withName("px-server-cert")
                .withLabels(KubeDbLabels.offshoot("px", null)).endMetadata().withType("kubernetes.io/tls")
                .withStringData(Map.of("tls.crt", issued.certificatePem(), "tls.key", issued.keyPem(),
                        "ca.crt", CertificateAuthority.pem(ca.certificate()))).build()).create();

        StatefulSet sts = Await.present(TIMEOUT, "StatefulSet px once the certificate is issued",
                () -> client.apps().statefulSets().withName("px").get());
        assertThat(sts.getSpec().getTemplate().getSpec().getVolumes()).anySatisfy(v ->
                assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName()).isEqualTo("px-server-cert"));
        assertThat(sts.getSpec().getTemplate().getSpec().getInitContainers()).extracting(c -> c.getName()).contains(TlsLayout.INIT_CONTAINER);
        assertThat(client.secrets().withName(TlsLayout.operatorCaSecret(p)).get()).as("the operator's own CA is not used with an issuer").isNull();
    }

    @Test
    void aCertificateOfAnUnknownAliasIsReportedNamingTheField(KubernetesClient client, TestNamespace ns) {
        createBackend(client, ns.name());
        ProxySQL p = proxysql(ns.name(), "px", "2.6.3-debian", 1);
        p.getSpec().setTls(tls(List.of(Map.of("alias", "server"), Map.of("alias", "archiver"))));
        client.resource(p).create();

        Condition invalid = Await.until(TIMEOUT, "DatabaseDependencyReady=False naming spec.tls.certificates[1].alias",
                () -> condition(client, ConditionTypes.DEPENDENCY_READY), c -> c != null && "False".equals(c.getStatus()));
        assertThat(invalid.getReason()).isEqualTo("InvalidTLSConfiguration");
        assertThat(invalid.getMessage()).isEqualTo("spec.tls.certificates[1].alias: \"archiver\" is not one of server, client, metrics-exporter");
        assertThat(certificate(client, "px-server-cert")).as("nothing created").isNull();
    }

    private static TLSConfig tls(List<Map<String, Object>> certificates) {
        TypedLocalObjectReference issuer = new TypedLocalObjectReference();
        issuer.setApiGroup("cert-manager.io");
        issuer.setKind("ClusterIssuer");
        issuer.setName("ca-issuer");
        TLSConfig tls = new TLSConfig();
        tls.setIssuerRef(issuer);
        tls.setCertificates(certificates);
        return tls;
    }

    private static GenericKubernetesResource certificate(KubernetesClient client, String name) {
        return client.genericKubernetesResources(CertificateFactory.CONTEXT).withName(name).get();
    }

    private static Condition condition(KubernetesClient client, String type) {
        ProxySQL p = client.resources(ProxySQL.class).withName("px").get();
        return p == null || p.getStatus() == null ? null : p.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
