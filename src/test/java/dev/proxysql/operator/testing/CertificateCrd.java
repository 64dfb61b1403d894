package dev.proxysql.operator.testing;

import dev.proxysql.operator.tls.CertificateFactory;
import io.fabric8.kubernetes.client.KubernetesClient;

/** cert-manager's Certificate CRD only, minimal (src/test/resources/manifests/certificate-crd.yaml): no cert-manager runs. */
public final class CertificateCrd {
    public static final String NAME = "certificates.cert-manager.io";
    private static final OptionalCrd CRD = new OptionalCrd(NAME, "/manifests/certificate-crd.yaml",
            CertificateFactory.API_VERSION, CertificateFactory.KIND);

    private CertificateCrd() {
    }

    public static void install(KubernetesClient admin) {
        CRD.install(admin);
    }

    public static void remove(KubernetesClient admin) {
        CRD.remove(admin);
    }
}
