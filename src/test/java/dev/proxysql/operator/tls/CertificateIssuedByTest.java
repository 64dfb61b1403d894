package dev.proxysql.operator.tls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Which issuer a Secret of cert-manager's was issued from, as the annotations cert-manager 1.21 writes on it
 * (cert-manager.io/issuer-name, -kind, -group; seen in CertManagerIssuanceIT): what a ReconfigureTLS naming another
 * issuer waits for before it replaces pods.
 */
class CertificateIssuedByTest {
    private static final Map<String, String> KEYS = Map.of("tls.crt", "Yw==", "tls.key", "aw==", "ca.crt", "Yw==");

    @Test
    void issuedByTheIssuerItsAnnotationsName() {
        Secret fromA = secret(Map.of("cert-manager.io/issuer-name", "ca-a", "cert-manager.io/issuer-kind", "Issuer",
                "cert-manager.io/issuer-group", "cert-manager.io"), KEYS);
        assertThat(CertificateFactory.issuedBy(fromA, issuer("Issuer", "ca-a"))).isTrue();
        assertThat(CertificateFactory.issuedBy(fromA, issuer(null, "ca-a"))).as("no kind means Issuer, as on the Certificate").isTrue();
        assertThat(CertificateFactory.issuedBy(fromA, issuer("Issuer", "ca-b"))).as("another issuer: not yet re-issued").isFalse();
        assertThat(CertificateFactory.issuedBy(fromA, issuer("ClusterIssuer", "ca-a"))).as("a ClusterIssuer of the same name").isFalse();
    }

    @Test
    void notIssuedWithoutTheAnnotationsTheKeysOrTheSecret() {
        TypedLocalObjectReference a = issuer("Issuer", "ca-a");
        assertThat(CertificateFactory.issuedBy(secret(Map.of(), KEYS), a)).as("the operator's own CA's Secret").isFalse();
        assertThat(CertificateFactory.issuedBy(secret(Map.of("cert-manager.io/issuer-name", "ca-a",
                "cert-manager.io/issuer-kind", "Issuer"), Map.of("tls.crt", "Yw==")), a)).as("no key yet").isFalse();
        assertThat(CertificateFactory.issuedBy(null, a)).isFalse();
    }

    private static Secret secret(Map<String, String> annotations, Map<String, String> data) {
        return new SecretBuilder().withNewMetadata().withName("px-server-cert").withAnnotations(annotations).endMetadata()
                .withType("kubernetes.io/tls").withData(data).build();
    }

    private static TypedLocalObjectReference issuer(String kind, String name) {
        TypedLocalObjectReference ref = new TypedLocalObjectReference();
        ref.setApiGroup("cert-manager.io");
        ref.setKind(kind);
        ref.setName(name);
        return ref;
    }
}
