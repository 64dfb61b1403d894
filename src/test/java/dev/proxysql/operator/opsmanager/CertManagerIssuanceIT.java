package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.TLSConfig;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.reconfiguretls.ReconfigureTlsOperation;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.certmanager.LocalCertManager;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import dev.proxysql.operator.tls.CertificateAuthority;
import dev.proxysql.operator.tls.CertificateFactory;
import dev.proxysql.operator.tls.MySqlTlsProbe;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.StringReader;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code spec.tls.issuerRef} with a real cert-manager ({@link LocalCertManager}: cert-manager's own controllers and
 * CRDs) issuing from CA Issuers, on real ProxySQL pods ({@link ProxySqlPods}): the Certificates the operator creates
 * become Ready and their Secrets hold certificates signed by the Issuer's CA, which every pod serves; a ReconfigureTLS
 * {@code rotateCertificates} (the Certificate's Issuing condition, as {@code cmctl renew} sets it) makes cert-manager
 * issue a new serial that every pod serves; a ReconfigureTLS naming another Issuer waits, replacing no pod, while that
 * Issuer cannot issue, then has the pods replaced once cert-manager has re-issued from the new CA, and every pod serves
 * that one.
 */
@LocalCluster
class CertManagerIssuanceIT {
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final ResourceDefinitionContext ISSUERS = new ResourceDefinitionContext.Builder()
            .withGroup(LocalCertManager.GROUP).withVersion("v1").withKind("Issuer").withPlural("issuers").withNamespaced(true).build();
    private static final ResourceDefinitionContext CERTIFICATE_REQUESTS = new ResourceDefinitionContext.Builder()
            .withGroup(LocalCertManager.GROUP).withVersion("v1").withKind("CertificateRequest").withPlural("certificaterequests")
            .withNamespaced(true).build();
    private static final List<String> PODS = List.of("px-0", "px-1");

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(RealProxySqlDeployment.ADMIN, RealProxySqlDeployment.ADMIN_PASSWORD);

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @RegisterExtension
    static final LocalCertManager CERT_MANAGER = new LocalCertManager();

    @RegisterExtension
    static final InProcessOperator OPERATOR = RealProxySqlDeployment.operator(RealProxySqlDeployment::installLocalVersions);

    @Test
    void issuedByCertManagerThenRenewedThenReissuedFromAnotherIssuer(KubernetesClient client, TestNamespace ns) throws Exception {
        CertificateAuthority caA = CertificateAuthority.create("issuer A", Duration.ofDays(1));
        CertificateAuthority caB = CertificateAuthority.create("issuer B", Duration.ofDays(1));
        caIssuer(client, ns, "ca-a", caA);
        RealProxySqlDeployment.createBackend(client, ns, MARIADB);
        try (ProxySqlPods pods = RealProxySqlDeployment.deploy(client, ns, "px", 2, ProxySqlBuilds.newest(), PROXYSQL,
                px -> px.getSpec().setTls(tls("ca-a")))) {
            // 1. issued by cert-manager: both Certificates Ready, their Secrets signed by CA A, served by every pod.
            for (String certificate : List.of("px-server-cert", "px-client-cert")) {
                awaitCertificateReady(client, certificate);
                X509Certificate leaf = leaf(client, certificate);
                assertThat(caA.signed(leaf)).as("%s is signed by the Issuer's CA", certificate).isTrue();
                assertThat(caB.signed(leaf)).as("%s is not signed by another CA", certificate).isFalse();
                assertThat(secretCa(client, certificate)).as("ca.crt of %s is the Issuer's CA", certificate).isEqualTo(caA.certificate());
            }
            assertThat(client.genericKubernetesResources(CertificateFactory.CONTEXT).withName("px-metrics-exporter-cert").get()).isNull();
            BigInteger first = leaf(client, "px-server-cert").getSerialNumber();
            for (String pod : PODS) {
                assertThat(served(pods, pod, caA.certificate())).as("%s serves the issued certificate", pod).isEqualTo(first);
            }

            // 2. rotateCertificates: cert-manager issues a new serial from the same CA, every pod serves it.
            client.resource(OpsFixture.reconfigureTls(ns, "rotate", "px", "rotateCertificates: true", "2m")).create();
            awaitOps(client, "rotate", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
            X509Certificate renewed = leaf(client, "px-server-cert");
            assertThat(renewed.getSerialNumber()).as("cert-manager issued a new certificate").isNotEqualTo(first);
            assertThat(caA.signed(renewed)).isTrue();
            assertThat(revision(client, "px-server-cert")).as("a second revision of the Certificate").isEqualTo(2L);
            for (String pod : PODS) {
                assertThat(served(pods, pod, caA.certificate())).as("%s serves the renewed certificate", pod).isEqualTo(renewed.getSerialNumber());
            }
            assertNotPaused(client, "px");

            // 3. another Issuer, not Ready yet (its CA Secret does not exist): the request applies the Certificates with it
            //    and waits, no pod replaced, while cert-manager cannot issue; once the CA Secret is there, cert-manager
            //    re-issues from CA B, then every pod is replaced and serves it, a client trusting only CA A refuses it.
            client.genericKubernetesResources(ISSUERS).resource(issuer(ns, "ca-b")).create();
            Map<String, String> uids = podUids(client);
            client.resource(OpsFixture.reconfigureTls(ns, "to-b", "px",
                    "issuerRef: {apiGroup: cert-manager.io, kind: Issuer, name: ca-b}", "3m")).create();
            Await.until(TIMEOUT, "a CertificateRequest of px-server-cert for Issuer ca-b, pending while the Issuer is not Ready",
                    () -> client.genericKubernetesResources(CERTIFICATE_REQUESTS).list().getItems(), crs -> crs.stream().anyMatch(cr ->
                            "ca-b".equals(cr.<String>get("spec", "issuerRef", "name"))
                            && conditions(cr).stream().anyMatch(c -> "Ready".equals(c.get("type")) && "Pending".equals(c.get("reason")))));
            assertThat(client.resources(ProxySQLOpsRequest.class).withName("to-b").get().getStatus().getPhase())
                    .as("the request waits for cert-manager").isEqualTo(OpsRequestPhase.PROGRESSING);
            assertThat(podUids(client)).as("no pod replaced before the new issuer's certificate is in the Secret").isEqualTo(uids);
            assertThat(caA.signed(leaf(client, "px-server-cert"))).isTrue();
            caSecret(client, "ca-b", caB);
            awaitOps(client, "to-b", OpsRequestPhase.SUCCESSFUL, TIMEOUT);
            assertThat(podUids(client)).as("every pod replaced").allSatisfy((pod, uid) -> assertThat(uid).isNotEqualTo(uids.get(pod)));
            X509Certificate fromB = leaf(client, "px-server-cert");
            assertThat(caB.signed(fromB)).as("once the request succeeded, the server Secret holds a certificate of CA B").isTrue();
            assertThat(secretCa(client, "px-server-cert")).isEqualTo(caB.certificate());
            assertThat(caB.signed(leaf(client, "px-client-cert"))).as("the client certificate re-issued from CA B too").isTrue();
            for (String pod : PODS) {
                assertThat(served(pods, pod, caB.certificate())).as("%s serves the certificate of CA B", pod).isEqualTo(fromB.getSerialNumber());
                assertThatThrownBy(() -> served(pods, pod, caA.certificate())).as("a client trusting only CA A refuses %s", pod)
                        .hasMessageContaining("does not serve a certificate of CN=issuer A");
            }
            assertNotPaused(client, "px");

            // 4. back to Issuer ca-a, but the first pod on the new template never starts: the request fails and rolls
            //    back. The Certificates go back to ca-b and cert-manager re-issues from CA B before the moved pod is
            //    replaced back onto the original revision (the one carrying to-b's annotation); the other pod is not
            //    touched, and every pod serves CA B's certificate.
            String original = client.apps().statefulSets().withName("px").get().getStatus().getUpdateRevision();
            Map<String, String> beforeRollback = podUids(client);
            pods.refuseToStart(pod -> pod.getMetadata().getAnnotations() != null && String.valueOf(pod.getMetadata().getAnnotations()
                    .get(ReconfigureTlsOperation.RECONFIGURED_BY)).startsWith("back-to-a/"));
            client.resource(OpsFixture.reconfigureTls(ns, "back-to-a", "px",
                    "issuerRef: {apiGroup: cert-manager.io, kind: Issuer, name: ca-a}", "45s")).create();
            ProxySQLOpsRequest failed = awaitOps(client, "back-to-a", OpsRequestPhase.FAILED, TIMEOUT);
            assertThat(failed.getStatus().getConditions()).as("rolled back").anyMatch(c -> "Rollback".equals(c.getType())
                    && "RollbackSucceeded".equals(c.getReason()));
            assertThat(client.apps().statefulSets().withName("px").get().getStatus().getUpdateRevision())
                    .as("the rollback's template is the original revision, not a new one").isEqualTo(original);
            Map<String, String> afterRollback = podUids(client);
            assertThat(PODS.stream().filter(pod -> afterRollback.get(pod).equals(beforeRollback.get(pod))).count())
                    .as("only the pod that had moved is replaced back: %s then %s", beforeRollback, afterRollback).isEqualTo(1L);
            GenericKubernetesResource server = client.genericKubernetesResources(CertificateFactory.CONTEXT).withName("px-server-cert").get();
            assertThat(server.<String>get("spec", "issuerRef", "name")).as("the Certificate is back on the original issuer").isEqualTo("ca-b");
            X509Certificate backOnB = leaf(client, "px-server-cert");
            assertThat(caB.signed(backOnB)).as("the server Secret holds a certificate of CA B again").isTrue();
            assertThat(caB.signed(leaf(client, "px-client-cert"))).isTrue();
            for (String pod : PODS) {
                Await.until(TIMEOUT, "a ProxySQL process for " + pod, () -> pods.node(pod), n -> n != null && n.answering());
                assertThat(served(pods, pod, caB.certificate())).as("%s serves the certificate of CA B", pod).isNotNull();
            }
            assertNotPaused(client, "px");
            assertThat(client.resources(dev.proxysql.operator.api.kubedb.v1.ProxySQL.class).withName("px").get().getSpec().getTls()
                    .getIssuerRef().getName()).as("spec.tls unchanged").isEqualTo("ca-b");
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError(e.getMessage() + "\n" + CERT_MANAGER.logTail(), e);
        }
    }

    /** The CA's Secret and a CA Issuer {@code name} signing with it; returns once cert-manager has it Ready. */
    private static void caIssuer(KubernetesClient client, TestNamespace ns, String name, CertificateAuthority ca) {
        caSecret(client, name, ca);
        client.genericKubernetesResources(ISSUERS).resource(issuer(ns, name)).create();
        Await.until(TIMEOUT, "Issuer " + name + " Ready (cert-manager read its CA Secret)",
                () -> client.genericKubernetesResources(ISSUERS).withName(name).get(), i -> conditionTrue(i, "Ready"));
    }

    private static void caSecret(KubernetesClient client, String name, CertificateAuthority ca) {
        client.resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata().withType("kubernetes.io/tls")
                .withStringData(Map.of("tls.crt", CertificateAuthority.pem(ca.certificate()), "tls.key", CertificateAuthority.pem(ca.key())))
                .build()).create();
    }

    /** A CA Issuer whose CA is the Secret of the same name. */
    private static GenericKubernetesResource issuer(TestNamespace ns, String name) {
        return Serialization.unmarshal("""
                apiVersion: cert-manager.io/v1
                kind: Issuer
                metadata: {name: %s, namespace: %s}
                spec: {ca: {secretName: %s}}
                """.formatted(name, ns.name(), name), GenericKubernetesResource.class);
    }

    private static Map<String, String> podUids(KubernetesClient client) {
        Map<String, String> uids = new LinkedHashMap<>();
        for (String pod : PODS) {
            uids.put(pod, client.pods().withName(pod).get().getMetadata().getUid());
        }
        return uids;
    }

    private static TLSConfig tls(String issuer) {
        TypedLocalObjectReference ref = new TypedLocalObjectReference();
        ref.setApiGroup(LocalCertManager.GROUP);
        ref.setKind("Issuer");
        ref.setName(issuer);
        TLSConfig tls = new TLSConfig();
        tls.setIssuerRef(ref);
        tls.setCertificates(List.of(Map.of("alias", "server", "dnsNames", List.of("proxysql.example.com"))));
        return tls;
    }

    /** Ready=True for the Certificate's current generation (cert-manager's readiness controller has seen the last change). */
    private static void awaitCertificateReady(KubernetesClient client, String name) {
        Await.until(TIMEOUT, "Certificate " + name + " Ready for its current generation",
                () -> client.genericKubernetesResources(CertificateFactory.CONTEXT).withName(name).get(), c -> c != null
                        && conditions(c).stream().anyMatch(x -> "Ready".equals(x.get("type")) && "True".equals(x.get("status"))
                        && Objects.equals(String.valueOf(x.get("observedGeneration")), String.valueOf(c.getMetadata().getGeneration()))));
    }

    private static long revision(KubernetesClient client, String name) {
        GenericKubernetesResource c = client.genericKubernetesResources(CertificateFactory.CONTEXT).withName(name).get();
        return ((Number) c.<Object>get("status", "revision")).longValue();
    }

    private static boolean conditionTrue(GenericKubernetesResource r, String type) {
        return r != null && conditions(r).stream().anyMatch(x -> type.equals(x.get("type")) && "True".equals(x.get("status")));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> conditions(GenericKubernetesResource r) {
        Object status = r.getAdditionalProperties().get("status");
        Object list = status instanceof Map<?, ?> m ? m.get("conditions") : null;
        return list instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    /** The serial pod {@code pod} serves, in a handshake that verifies it against {@code ca} (failing the test otherwise). */
    private static BigInteger served(ProxySqlPods pods, String pod, X509Certificate ca) throws Exception {
        try {
            return MySqlTlsProbe.handshake(pods.node(pod).address(), ProxySqlNode.MYSQL_PORT, ca).get(0).getSerialNumber();
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new AssertionError(pod + " does not serve a certificate of " + ca.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate leaf(KubernetesClient client, String secret) throws Exception {
        return pem(client.secrets().withName(secret).get(), "tls.crt");
    }

    private static X509Certificate secretCa(KubernetesClient client, String secret) throws Exception {
        return pem(client.secrets().withName(secret).get(), "ca.crt");
    }

    private static X509Certificate pem(Secret s, String key) throws Exception {
        return CertificateAuthority.readCertificates(new StringReader(
                new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.US_ASCII))).get(0);
    }
}
