package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.TLSConfig;
import dev.proxysql.operator.kube.CachedApiSupport;
import dev.proxysql.operator.kube.ChildApplier;
import dev.proxysql.operator.tls.CertificateFactory;
import dev.proxysql.operator.tls.OwnCaIssuer;
import dev.proxysql.operator.provisioner.status.Observation.Problem;
import dev.proxysql.operator.topology.TlsLayout;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Makes the certificate Secrets of a ProxySQL with {@code spec.tls} exist before its StatefulSet mounts them.
 * <ul>
 *   <li>With {@code spec.tls.issuerRef}: cert-manager {@code Certificate}s ({@link CertificateFactory}); until
 *       cert-manager has written the server Secret, provisioning waits (a problem naming the Secret). Without
 *       cert-manager's CRD the issuer cannot be honoured: a problem naming {@code spec.tls.issuerRef}, nothing created.</li>
 *   <li>Without an issuer: the operator's own CA, a Secret {@code <name>-operator-ca} created once, and server and
 *       client certificates it signs, issued again when missing, signed by another CA, issued for other host names,
 *       or within {@link #RENEW_BEFORE} of expiry. So TLS works out of the box.</li>
 * </ul>
 * Certificates are never removed here: turning TLS off is a ReconfigureTLS's job.
 */
final class TlsProvisioner {
    static final Set<String> ISSUER_KINDS = Set.of("Issuer", "ClusterIssuer");

    private final KubernetesClient client;
    private final ChildApplier applier;
    private final Runnable onWrite;
    private final CachedApiSupport certManagerServed;
    private final Clock clock;

    TlsProvisioner(KubernetesClient client, ChildApplier applier, Runnable onWrite, CachedApiSupport certManagerServed, Clock clock) {
        this.client = client;
        this.applier = applier;
        this.onWrite = onWrite;
        this.certManagerServed = certManagerServed;
        this.clock = clock;
    }

    /** What is wrong with {@code spec.tls}, read-only; the CRD's rules refuse most of it already. */
    static Optional<Problem> validate(ProxySQL p) {
        TLSConfig tls = p.getSpec().getTls();
        if (tls == null) {
            return Optional.empty();
        }
        TypedLocalObjectReference issuer = tls.getIssuerRef();
        if (issuer != null && issuer.getKind() != null && !ISSUER_KINDS.contains(issuer.getKind())) {
            return invalid("spec.tls.issuerRef.kind: \"" + issuer.getKind() + "\" is not a cert-manager issuer kind; use Issuer or ClusterIssuer");
        }
        if (issuer != null && issuer.getApiGroup() != null && !CertificateFactory.GROUP.equals(issuer.getApiGroup())) {
            return invalid("spec.tls.issuerRef.apiGroup: \"" + issuer.getApiGroup() + "\" is not " + CertificateFactory.GROUP);
        }
        List<Map<String, Object>> certificates = tls.getCertificates() == null ? List.of() : tls.getCertificates();
        for (int i = 0; i < certificates.size(); i++) {
            Object alias = certificates.get(i).get("alias");
            if (!(alias instanceof String a) || !TlsLayout.ALIASES.contains(a)) {
                return invalid("spec.tls.certificates[" + i + "].alias: \"" + alias + "\" is not one of " + String.join(", ", TlsLayout.ALIASES));
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> invalid(String message) {
        return Optional.of(new Problem("InvalidTLSConfiguration", message));
    }

    /** Ensures the certificates; a problem when they cannot be there yet (nothing else should be applied then). */
    Optional<Problem> ensure(ProxySQL p) {
        if (!TlsLayout.enabled(p)) {
            return Optional.empty();
        }
        Optional<Problem> invalid = validate(p);
        if (invalid.isPresent()) {
            return invalid;
        }
        return p.getSpec().getTls().getIssuerRef() != null ? ensureCertManager(p) : ensureOwnCa(p);
    }

    private Optional<Problem> ensureCertManager(ProxySQL p) {
        TypedLocalObjectReference issuer = p.getSpec().getTls().getIssuerRef();
        if (!certManagerServed.supported()) {
            return Optional.of(new Problem("CertManagerNotInstalled", "spec.tls.issuerRef: " + (issuer.getKind() == null ? "Issuer" : issuer.getKind())
                    + " \"" + issuer.getName() + "\" needs cert-manager, but the API server does not serve " + CertificateFactory.API_VERSION + " "
                    + CertificateFactory.KIND + "; install cert-manager, or remove spec.tls.issuerRef to have the operator issue the certificates from its own CA"));
        }
        for (String alias : CertificateFactory.aliases(p)) {
            GenericKubernetesResource live = client.genericKubernetesResources(CertificateFactory.CONTEXT)
                    .inNamespace(p.getMetadata().getNamespace()).withName(TlsLayout.certificate(p, alias)).get();
            applier.apply(CertificateFactory.build(p, alias), live);
        }
        String server = TlsLayout.certSecret(p, TlsLayout.SERVER);
        Secret issued = secret(p, server);
        if (issued == null || !OwnCaIssuer.hasKeys(issued)) {
            return Optional.of(new Problem("CertificateNotIssued", "spec.tls.issuerRef: waiting for cert-manager to issue the Secret \"" + server
                    + "\" of Certificate \"" + TlsLayout.certificate(p, TlsLayout.SERVER) + "\" (kubectl describe certificate "
                    + TlsLayout.certificate(p, TlsLayout.SERVER) + " says why it is not issued yet)"));
        }
        return Optional.empty();
    }

    private Optional<Problem> ensureOwnCa(ProxySQL p) {
        for (int i = new OwnCaIssuer(client, ProvisionerReconciler.NAME, clock).ensure(p); i > 0; i--) {
            onWrite.run();
        }
        return Optional.empty();
    }

    private Secret secret(ProxySQL p, String name) {
        return client.secrets().inNamespace(p.getMetadata().getNamespace()).withName(name).get();
    }

}
