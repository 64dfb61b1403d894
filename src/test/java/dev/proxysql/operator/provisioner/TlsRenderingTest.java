package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.topology.BackendModes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.TLSConfig;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.ProxySqlCnfRenderer;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.tls.CertificateAuthority;
import dev.proxysql.operator.topology.ProxySQLNames;
import dev.proxysql.operator.topology.StatefulSetFactory;
import dev.proxysql.operator.topology.TlsLayout;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.Test;

/** What {@code spec.tls} changes in the rendered pod and proxysql.cnf, and what it refuses. */
class TlsRenderingTest {
    private static final Credentials MONITOR = new Credentials("proxysql_0a1b2c3d", "MonitorPw0123456789abcd");
    private final ResolvedReferences refs = ProvisionerInputsTest.references();

    @Test
    void withoutTlsThePodAndTheConfigAreAsBefore() {
        ProxySQL p = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 3);
        PodSpec pod = pod(p);
        assertThat(pod.getInitContainers()).isEmpty();
        assertThat(pod.getVolumes()).extracting(Volume::getName).doesNotContain(TlsLayout.VOLUME);
        assertThat(env(pod, "FRONTEND_TLS_ENABLED")).isEqualTo("false");
        assertThat(cnf(p)).doesNotContain("have_ssl");
    }

    @Test
    void withTlsTheServerSecretIsMountedAndLinkedUnderTheNamesProxySqlReads() {
        ProxySQL p = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 3);
        p.getSpec().setTls(new TLSConfig());
        PodSpec pod = pod(p);

        Volume volume = pod.getVolumes().stream().filter(v -> TlsLayout.VOLUME.equals(v.getName())).findFirst().orElseThrow();
        assertThat(volume.getSecret().getSecretName()).isEqualTo("px-server-cert");
        Container proxysql = pod.getContainers().get(0);
        assertThat(proxysql.getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo(TlsLayout.VOLUME);
            assertThat(m.getMountPath()).isEqualTo(TlsLayout.SERVER_MOUNT);
            assertThat(m.getReadOnly()).isTrue();
        });
        Container init = pod.getInitContainers().get(0);
        assertThat(init.getName()).isEqualTo(TlsLayout.INIT_CONTAINER);
        assertThat(init.getImage()).isEqualTo(proxysql.getImage());
        assertThat(init.getCommand()).containsExactly("sh", "-c", "set -e"
                + "; ln -sfn '/etc/proxysql-tls/server/tls.crt' '/var/lib/proxysql/proxysql-cert.pem'"
                + "; ln -sfn '/etc/proxysql-tls/server/tls.key' '/var/lib/proxysql/proxysql-key.pem'"
                + "; ln -sfn '/etc/proxysql-tls/server/ca.crt' '/var/lib/proxysql/proxysql-ca.pem'");
        assertThat(init.getVolumeMounts()).extracting(m -> m.getMountPath()).containsExactly(ProxySQLNames.DATA_MOUNT, TlsLayout.SERVER_MOUNT);
        assertThat(init.getSecurityContext().getRunAsNonRoot()).isTrue();
        // The image must not copy certificate files of its own (KubeDB's entrypoint copies from /var/lib/frontend/server,
        // which is not mounted, and a copy would defeat RELOAD TLS): the init container's links are the layout.
        assertThat(env(pod, "FRONTEND_TLS_ENABLED")).isEqualTo("false");
        assertThat(cnf(p)).contains("have_ssl=true");
    }

    @Test
    void aSecretNameOfTheServerCertificateEntryIsMountedInstead() {
        ProxySQL p = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 1);
        TLSConfig tls = new TLSConfig();
        tls.setCertificates(List.of(Map.of("alias", "server", "secretName", "my-px-tls")));
        p.getSpec().setTls(tls);
        assertThat(pod(p).getVolumes()).anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
                .isEqualTo("my-px-tls"));
    }

    @Test
    void anAppBindingTlsSecretIsMountedAndItsCaVerifiesTheBackend() {
        ProxySQL p = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 1);
        refs.backend().getSpec().setTlsSecret(new dev.proxysql.operator.api.common.LocalObjectReference("mysql-client-cert"));
        PodSpec pod = pod(p);
        assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getSecret() == null ? null : v.getSecret().getSecretName())
                .isEqualTo("mysql-client-cert"));
        assertThat(pod.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo(TlsLayout.BACKEND_MOUNT));
        assertThat(env(pod, "BACKEND_TLS_ENABLED")).isEqualTo("true");
        assertThat(cnf(p)).contains("ssl_p2s_ca=\"/var/lib/certs/ca.crt\"", "use_ssl=1").doesNotContain("ssl_p2s_cert", "ssl_p2s_key");
    }

    @Test
    void badSpecTlsIsNamedByField() {
        ProxySQL p = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 1);
        TLSConfig tls = new TLSConfig();
        TypedLocalObjectReference issuer = new TypedLocalObjectReference();
        issuer.setName("ca");
        issuer.setKind("Secret");
        tls.setIssuerRef(issuer);
        p.getSpec().setTls(tls);
        assertThat(TlsProvisioner.validate(p)).get().satisfies(problem ->
                assertThat(problem.message()).startsWith("spec.tls.issuerRef.kind: \"Secret\" is not a cert-manager issuer kind"));
        issuer.setKind("ClusterIssuer");
        issuer.setApiGroup("example.com");
        assertThat(TlsProvisioner.validate(p)).get().satisfies(problem ->
                assertThat(problem.message()).startsWith("spec.tls.issuerRef.apiGroup: \"example.com\""));
        issuer.setApiGroup(null);
        assertThat(TlsProvisioner.validate(p)).isEmpty();
        tls.setCertificates(List.of(Map.of("secretName", "x")));
        assertThat(TlsProvisioner.validate(p)).get().satisfies(problem ->
                assertThat(problem.message()).startsWith("spec.tls.certificates[0].alias: \"null\" is not one of"));
    }

    @Test
    void theOperatorsCaSignsWhatItIssuesAndTheServerNamesCoverServicesAndPods() throws Exception {
        ProxySQL p = OperatorFixture.proxysql("demo", "px", "2.6.3-debian", 1);
        CertificateAuthority ca = CertificateAuthority.create("test", Duration.ofDays(1));
        CertificateAuthority.Issued issued = ca.issue(TlsLayout.serverHosts(p), Duration.ofDays(1), KeyPurposeId.id_kp_serverAuth);
        assertThat(ca.signed(issued.certificate())).isTrue();
        assertThat(CertificateAuthority.create("other", Duration.ofDays(1)).signed(issued.certificate())).isFalse();
        assertThat(issued.certificate().getSubjectAlternativeNames()).extracting(n -> n.get(0) + "=" + n.get(1))
                .contains("2=px", "2=px.demo.svc.cluster.local", "2=px-pods.demo.svc", "2=*.px-pods.demo.svc",
                        "2=*.px-pods.demo.svc.cluster.local", "7=127.0.0.1");
        CertificateAuthority reread = CertificateAuthority.fromPem(CertificateAuthority.pem(ca.certificate()), CertificateAuthority.pem(ca.key()));
        assertThat(reread.signed(reread.issue(List.of("x"), Duration.ofDays(1), KeyPurposeId.id_kp_clientAuth).certificate())).isTrue();
        assertThat(ca.signed(reread.issue(List.of("x"), Duration.ofDays(1), KeyPurposeId.id_kp_clientAuth).certificate())).isTrue();
    }

    private PodSpec pod(ProxySQL p) {
        return StatefulSetFactory.build(p, ConfigInputMapper.statefulSetInputs(p, refs)).getSpec().getTemplate().getSpec();
    }

    private String cnf(ProxySQL p) {
        return ProxySqlCnfRenderer.render(ConfigInputMapper.map(p, refs, java.util.List.of(refs.backendAddress()), "ClusterPw0123456789abcd", MONITOR, BackendModes.inUse(p, refs.backend()))).cnfOrThrow();
    }

    private static String env(PodSpec pod, String name) {
        return pod.getContainers().get(0).getEnv().stream().filter(e -> name.equals(e.getName())).findFirst()
                .map(e -> e.getValue()).orElse(null);
    }

}
