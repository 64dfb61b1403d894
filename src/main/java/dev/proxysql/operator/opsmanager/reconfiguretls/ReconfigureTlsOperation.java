package dev.proxysql.operator.opsmanager.reconfiguretls;

import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.TLSConfig;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.api.ops.v1alpha1.TLSSpec;
import dev.proxysql.operator.kube.ChildApplier;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.opsmanager.checks.AdminEndpoints;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsType;
import dev.proxysql.operator.tls.CertificateFactory;
import dev.proxysql.operator.tls.OwnCaIssuer;
import dev.proxysql.operator.topology.StatefulSetFactory;
import dev.proxysql.operator.topology.TlsLayout;
import java.time.Clock;
import java.util.Optional;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * ReconfigureTLS: turns frontend TLS on ({@code spec.tls.issuerRef} and/or {@code certificates} on a ProxySQL without
 * TLS), moves it to another issuer, or turns it off ({@code remove: true}). Each is a change of {@code spec.tls}: the
 * provisioner's renderer then adds or drops the certificate mount and the {@code tls-files} init container, so the
 * pods are replaced one at a time and checked like a VerticalScaling, and a failure rolls the template back to the
 * one rendered from the unchanged spec. {@code spec.tls} is written into the ProxySQL at the end; a removal then
 * deletes the cert-manager Certificates the provisioner created (their Secrets stay, owned by the ProxySQL).
 * {@code rotateCertificates} replaces no pod: its own step (RotatingCertificates) issues a new server certificate and
 * has each pod reload it ({@link TlsRotation}).
 */
public final class ReconfigureTlsOperation implements Operation {
    static final ResourceDefinitionContext CERTIFICATES = CertificateFactory.CONTEXT;
    /** The field manager of the ops manager's writes (OpsRequestReconciler.NAME). */
    static final String FIELD_MANAGER = "proxysql-ops-manager";
    private final KubernetesClient client;
    private final TlsRotation rotation;
    /** The Certificates as the provisioner applies them: its field manager, its hash annotation. */
    private final ChildApplier certificates;

    public ReconfigureTlsOperation(KubernetesClient client, AdminEndpoints endpoints) {
        this.client = client;
        this.certificates = new ChildApplier(client, StatefulSetFactory.FIELD_MANAGER, () -> { });
        this.rotation = new TlsRotation(client, endpoints);
    }

    /** The pod-template annotation naming the ReconfigureTLS request that issued the pods' certificates. */
    public static final String RECONFIGURED_BY = "ops.kubedb.com/tls-reconfigured-by";

    /** Whether the request rotates the certificates (no pod replaced) rather than changing the pod template. */
    public static boolean rotates(ProxySQLOpsRequest request) {
        return request.getSpec().getTls() != null && Boolean.TRUE.equals(request.getSpec().getTls().getRotateCertificates());
    }

    /**
     * The type as the ops manager runs it: this operation over the shared template flow (add, issuer change, remove),
     * and its own step for a rotation.
     */
    public static OpsType type(KubernetesClient client, AdminEndpoints endpoints) {
        ReconfigureTlsOperation op = new ReconfigureTlsOperation(client, endpoints);
        return new OpsType(OpsRequestType.RECONFIGURE_TLS, op, Map.of(OpsStep.ROTATING_CERTIFICATES, new RotatingCertificatesStep(op.rotation)));
    }

    /** What the request asks for; the CRD's rule already admits exactly one (KubeDB's webhook rule). */
    public enum Kind { ADD, ISSUER_CHANGE, ROTATE, REMOVE }

    /** The kind of change {@code spec.tls} asks for on this ProxySQL, or null when it names none. */
    public static Kind kind(TLSSpec tls, ProxySQL proxysql) {
        if (tls == null) {
            return null;
        }
        int asked = (Boolean.TRUE.equals(tls.getRemove()) ? 1 : 0) + (Boolean.TRUE.equals(tls.getRotateCertificates()) ? 1 : 0)
                + (tls.getIssuerRef() != null || tls.getCertificates() != null ? 1 : 0);
        if (asked != 1) {
            return null;
        }
        if (Boolean.TRUE.equals(tls.getRemove())) {
            return Kind.REMOVE;
        }
        if (Boolean.TRUE.equals(tls.getRotateCertificates())) {
            return Kind.ROTATE;
        }
        return TlsLayout.enabled(proxysql) ? Kind.ISSUER_CHANGE : Kind.ADD;
    }

    @Override
    public OpsStep stepAfterPause(ProxySQLOpsRequest request) {
        return rotates(request) ? OpsStep.ROTATING_CERTIFICATES : OpsStep.UPDATING_STATEFUL_SET;
    }

    @Override
    public Validation validate(ProxySQLOpsRequest request, ProxySQL proxysql) {
        TLSSpec tls = request.getSpec().getTls();
        if (tls == null) {
            return Validation.reject("spec.tls: required when spec.type is ReconfigureTLS");
        }
        Kind kind = kind(tls, proxysql);
        String name = proxysql.getMetadata().getName();
        if (kind == null) {
            return Validation.reject("spec.tls: needs exactly one of: remove: true, rotateCertificates: true, or issuerRef/certificates");
        }
        if (tls.getIssuerRef() != null) {
            TypedLocalObjectReference issuer = tls.getIssuerRef();
            if (!"Issuer".equals(issuer.getKind()) && !"ClusterIssuer".equals(issuer.getKind())) {
                return Validation.reject("spec.tls.issuerRef.kind must be Issuer or ClusterIssuer (a cert-manager issuer), not \""
                        + issuer.getKind() + "\"");
            }
            if (issuer.getApiGroup() != null && !"cert-manager.io".equals(issuer.getApiGroup())) {
                return Validation.reject("spec.tls.issuerRef.apiGroup must be cert-manager.io, not \"" + issuer.getApiGroup() + "\"");
            }
            if (issuer.getName() == null || issuer.getName().isBlank()) {
                return Validation.reject("spec.tls.issuerRef.name: required");
            }
        }
        return switch (kind) {
            case REMOVE, ROTATE -> TlsLayout.enabled(proxysql) ? Validation.run()
                    : Validation.reject("spec.tls." + (kind == Kind.REMOVE ? "remove" : "rotateCertificates") + ": ProxySQL " + name
                    + " has no TLS (its spec.tls is not set): there is nothing to " + (kind == Kind.REMOVE ? "remove" : "rotate"));
            case ISSUER_CHANGE -> tls.getIssuerRef() == null || sameIssuer(tls.getIssuerRef(), proxysql.getSpec().getTls().getIssuerRef())
                    ? Validation.reject("spec.tls.issuerRef: ProxySQL " + name + " already has TLS"
                    + (proxysql.getSpec().getTls().getIssuerRef() == null ? " from the operator's own CA" : " from "
                    + proxysql.getSpec().getTls().getIssuerRef().getKind() + " \"" + proxysql.getSpec().getTls().getIssuerRef().getName() + "\"")
                    + ": to add TLS it must be off; name another issuer to change it, or use rotateCertificates or remove")
                    : Validation.run();
            case ADD -> Validation.run();
        };
    }

    private static boolean sameIssuer(TypedLocalObjectReference a, TypedLocalObjectReference b) {
        return b != null && Objects.equals(a.getName(), b.getName()) && Objects.equals(a.getKind(), b.getKind());
    }

    @Override
    public ProxySQL target(ProxySQLOpsRequest request, ProxySQL proxysql) {
        ProxySQL target = Serialization.clone(proxysql);
        target.getSpec().setTls(targetTls(request.getSpec().getTls(), proxysql));
        return target;
    }

    /** {@code spec.tls} as the request leaves it: null when removed, else the issuer and certificates asked for. */
    static TLSConfig targetTls(TLSSpec tls, ProxySQL proxysql) {
        Kind kind = kind(tls, proxysql);
        if (kind == Kind.REMOVE) {
            return null;
        }
        if (kind == Kind.ROTATE) {
            return proxysql.getSpec().getTls();
        }
        TLSConfig current = proxysql.getSpec().getTls();
        TLSConfig next = new TLSConfig();
        next.setIssuerRef(tls.getIssuerRef() != null ? tls.getIssuerRef() : current == null ? null : current.getIssuerRef());
        List<Map<String, Object>> certificates = tls.getCertificates() != null ? tls.getCertificates()
                : current == null ? null : current.getCertificates();
        next.setCertificates(certificates);
        return next;
    }

    /** The pod template changes (mount and init container added or dropped, or a Secret named by another issuer). */
    @Override
    public boolean changesPodSpec(ProxySQLOpsRequest request) {
        return !rotates(request);
    }

    /**
     * An issuer change annotates the pod template with the request, as Restart does: it keeps the Secret names, so the
     * rendered template alone does not change and no pod would be replaced: they would go on serving the old issuer's
     * certificate (ProxySQL reads its files at start and at {@code PROXYSQL RELOAD TLS}). With the annotation every
     * pod is replaced once {@link #prepareTemplate} has seen each Secret issued by the new issuer, and reads that
     * certificate. An add or a removal changes the pod spec itself (mount, init container) and needs none: without
     * it, its rollback template is the original one again and only the pods already moved are replaced back. Only
     * while the ProxySQL still has the old issuer (its spec is written at the end). Shown by CertManagerIssuanceIT.
     */
    @Override
    public Map<String, String> templateAnnotations(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return changesIssuer(request, proxysql)
                ? Map.of(RECONFIGURED_BY, request.getMetadata().getName() + "/" + request.getMetadata().getUid()) : Map.of();
    }

    /** The request moves the ProxySQL's TLS to another issuer, and the ProxySQL's spec does not have it yet. */
    static boolean changesIssuer(ProxySQLOpsRequest request, ProxySQL proxysql) {
        TLSSpec tls = request.getSpec().getTls();
        return proxysql != null && kind(tls, proxysql) == Kind.ISSUER_CHANGE && tls.getIssuerRef() != null
                && !sameIssuer(tls.getIssuerRef(), proxysql.getSpec().getTls().getIssuerRef());
    }

    /**
     * Issues what the new template mounts: with no issuer, the operator's CA and certificates (as the provisioner
     * would, {@link OwnCaIssuer}); with an issuer, the cert-manager Certificates, then waits until cert-manager has
     * issued every one of their Secrets from that issuer ({@link CertificateFactory#issuedBy}). A removal needs nothing.
     */
    @Override
    public Optional<String> prepareTemplate(ProxySQLOpsRequest request, ProxySQL proxysql) {
        ProxySQL target = target(request, proxysql);
        TLSConfig tls = target.getSpec().getTls();
        if (tls == null || rotates(request)) {
            return Optional.empty();
        }
        if (tls.getIssuerRef() == null) {
            new OwnCaIssuer(client, FIELD_MANAGER, Clock.systemUTC()).ensure(target);
            return Optional.empty();
        }
        return issueFromCertManager(target);
    }

    /**
     * The rollback of an issuer change: the Certificates go back to the original issuer (the ProxySQL's spec, which
     * the request has not changed yet) and the rollback waits until cert-manager has issued their Secrets from it,
     * so that the pods replaced back serve its certificate. From the operator's own CA: the Certificates are deleted
     * (cert-manager would issue the Secrets again) and the CA issues the certificates again, as the provisioner does.
     * An add or a removal needs nothing: the original template mounts no certificate, or the ones it mounted.
     */
    @Override
    public Optional<String> prepareRollback(ProxySQLOpsRequest request, ProxySQL proxysql) {
        if (!changesIssuer(request, proxysql)) {
            return Optional.empty();
        }
        if (proxysql.getSpec().getTls().getIssuerRef() == null) {
            deleteCertificates(proxysql);
            new OwnCaIssuer(client, FIELD_MANAGER, Clock.systemUTC()).ensure(proxysql);
            return Optional.empty();
        }
        return issueFromCertManager(proxysql);
    }

    /**
     * Applies the Certificates {@code p}'s spec names exactly as the provisioner does (its hash-guarded applier and
     * field manager, so that it finds them as it would make them afterwards, and a rollback's apply of the original
     * issuer is not taken for a no-op), then waits until each Secret is issued by that issuer: after an issuer change
     * a Secret still holds the other issuer's certificate until cert-manager re-issues, and pods replaced before that
     * would serve it.
     */
    private Optional<String> issueFromCertManager(ProxySQL p) {
        TypedLocalObjectReference issuer = p.getSpec().getTls().getIssuerRef();
        String ns = p.getMetadata().getNamespace();
        for (String alias : CertificateFactory.aliases(p)) {
            try {
                GenericKubernetesResource live = client.genericKubernetesResources(CERTIFICATES).inNamespace(ns)
                        .withName(TlsLayout.certificate(p, alias)).get();
                certificates.apply(CertificateFactory.build(p, alias), live);
            } catch (KubernetesClientException e) {
                if (e.getCode() == 404) {
                    return Optional.of("spec.tls.issuerRef: the API server does not serve cert-manager's Certificate: install cert-manager, "
                            + "or name certificates without an issuerRef to have the operator issue them from its own CA");
                }
                throw e;
            }
        }
        for (String alias : CertificateFactory.aliases(p)) {
            String secret = TlsLayout.certSecret(p, alias);
            if (!CertificateFactory.issuedBy(client.secrets().inNamespace(ns).withName(secret).get(), issuer)) {
                return Optional.of("waiting for cert-manager to issue the Secret " + secret + " from "
                        + (issuer.getKind() == null ? "Issuer" : issuer.getKind()) + " \"" + issuer.getName() + "\"");
            }
        }
        return Optional.empty();
    }

    /**
     * Writes {@code spec.tls} (idempotent: a second call finds it written), then, for a removal, deletes the
     * Certificates named as KubeDB names them that this ProxySQL owns (a 404, or no cert-manager, is nothing to do).
     */
    @Override
    public void updateDatabase(ProxySQLOpsRequest request, ProxySQL proxysql) {
        TLSConfig target = targetTls(request.getSpec().getTls(), proxysql);
        boolean remove = Boolean.TRUE.equals(request.getSpec().getTls().getRemove());
        if (!Objects.equals(Serialization.asJson(target), Serialization.asJson(proxysql.getSpec().getTls()))
                && !(remove && proxysql.getSpec().getTls() == null)) {
            client.resource(proxysql).edit(p -> {
                p.getSpec().setTls(target);
                return p;
            });
        }
        if (remove) {
            deleteCertificates(proxysql);
        }
    }

    private void deleteCertificates(ProxySQL proxysql) {
        for (String alias : TlsLayout.ALIASES) {
            try {
                GenericKubernetesResource c = client.genericKubernetesResources(CERTIFICATES)
                        .inNamespace(proxysql.getMetadata().getNamespace()).withName(TlsLayout.certificate(proxysql, alias)).get();
                boolean owned = c != null && c.getMetadata().getOwnerReferences() != null && c.getMetadata().getOwnerReferences().stream()
                        .anyMatch(o -> proxysql.getMetadata().getUid().equals(o.getUid()));
                if (owned) {
                    client.genericKubernetesResources(CERTIFICATES).inNamespace(proxysql.getMetadata().getNamespace())
                            .withName(c.getMetadata().getName()).delete();
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    /** KubeDB's TLS conditions ({@link ReconfigureTlsConditions}) for the add, issuer change and remove flow. */
    @Override
    public List<Note> conditionsAt(Moment moment, ProxySQLOpsRequest request, ProxySQL proxysql) {
        // A failure needs only the request's own conditions: the ProxySQL may be gone by then (a write refused until
        // the step timeout while it was deleted), and the failure must still be recorded.
        if (moment == Moment.FAILED) {
            return ReconfigureTlsConditions.failed(request);
        }
        if (rotates(request) || proxysql == null) {
            return List.of();
        }
        TLSSpec tls = request.getSpec().getTls();
        TypedLocalObjectReference issuer = tls.getIssuerRef() != null ? tls.getIssuerRef()
                : proxysql.getSpec().getTls() == null ? null : proxysql.getSpec().getTls().getIssuerRef();
        return ReconfigureTlsConditions.at(moment, kind(tls, proxysql), proxysql.getMetadata().getName(),
                issuer == null ? "the operator's own CA" : issuer.getKind() + " \"" + issuer.getName() + "\"", request);
    }

    @Override
    public ConditionType conditionType() {
        return ConditionType.RECONFIGURE_TLS;
    }

    /** From the request alone: the ProxySQL's spec.tls has already changed when the request resumes it. */
    @Override
    public String successMessage(ProxySQLOpsRequest request, ProxySQL proxysql) {
        TLSSpec tls = request.getSpec().getTls();
        String name = proxysql.getMetadata().getName();
        if (Boolean.TRUE.equals(tls.getRemove())) {
            return "Successfully removed TLS from ProxySQL " + name + ": every pod serves plain connections only";
        }
        if (Boolean.TRUE.equals(tls.getRotateCertificates())) {
            return "Successfully rotated the TLS certificates of ProxySQL " + name;
        }
        return "Successfully reconfigured TLS of ProxySQL " + name + ": every pod serves certificates from "
                + (tls.getIssuerRef() == null ? "the operator's own CA" : tls.getIssuerRef().getKind() + " \"" + tls.getIssuerRef().getName() + "\"");
    }
}
