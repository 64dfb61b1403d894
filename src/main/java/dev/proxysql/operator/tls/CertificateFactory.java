package dev.proxysql.operator.tls;

import dev.proxysql.operator.api.common.TypedLocalObjectReference;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.OwnerReferences;
import dev.proxysql.operator.topology.KubeDbLabels;
import dev.proxysql.operator.topology.Monitoring;
import dev.proxysql.operator.topology.TlsLayout;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * cert-manager {@code Certificate}s for {@code spec.tls.issuerRef}, one per alias, named as KubeDB names them
 * ({@code <name>-<alias>-cert}) and writing the Secret {@link TlsLayout#certSecret}. A generic object, like the
 * ServiceMonitor: cert-manager's CRD is optional in the cluster.
 *
 * <p>A {@code spec.tls.certificates} entry of the alias adds to what the operator asks for: its {@code subject},
 * {@code duration}, {@code renewBefore}, {@code privateKey}, {@code emailTLSs}/{@code emailAddresses}, and extra
 * {@code dnsNames}/{@code ipAddresses} (KubeDB's CertificateSpec fields).
 */
public final class CertificateFactory {
    public static final String API_VERSION = "cert-manager.io/v1";
    public static final String KIND = "Certificate";
    public static final String GROUP = "cert-manager.io";
    public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP).withVersion("v1").withKind(KIND).withPlural("certificates").withNamespaced(true).build();
    private static final List<String> COPIED = List.of("subject", "duration", "renewBefore", "privateKey", "emailAddresses");
    /** What cert-manager writes on every Secret it issues into, naming the issuer that signed it. */
    static final String ISSUER_NAME_ANNOTATION = "cert-manager.io/issuer-name";
    static final String ISSUER_KIND_ANNOTATION = "cert-manager.io/issuer-kind";

    private CertificateFactory() {
    }

    /** The aliases a ProxySQL gets certificates for: server and client, and metrics-exporter when it is monitored. */
    public static List<String> aliases(ProxySQL p) {
        return Monitoring.enabled(p) ? TlsLayout.ALIASES : List.of(TlsLayout.SERVER, TlsLayout.CLIENT);
    }

    /**
     * Whether cert-manager has issued {@code secret} from {@code issuer}: its keys are there and its issuer
     * annotations name that issuer. After an issuer change the Secret still holds the old issuer's certificate until
     * cert-manager re-issues it, which a mere "the Secret has keys" does not tell.
     */
    public static boolean issuedBy(Secret secret, TypedLocalObjectReference issuer) {
        Map<String, String> annotations = secret == null || secret.getMetadata().getAnnotations() == null ? Map.of()
                : secret.getMetadata().getAnnotations();
        return secret != null && OwnCaIssuer.hasKeys(secret)
                && Objects.equals(annotations.get(ISSUER_NAME_ANNOTATION), issuer.getName())
                && Objects.equals(annotations.get(ISSUER_KIND_ANNOTATION), issuer.getKind() == null ? "Issuer" : issuer.getKind());
    }

    public static GenericKubernetesResource build(ProxySQL p, String alias) {
        TypedLocalObjectReference issuer = p.getSpec().getTls().getIssuerRef();
        Map<String, Object> user = entry(p, alias);
        List<String> dnsNames = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        for (String host : TlsLayout.SERVER.equals(alias) ? TlsLayout.serverHosts(p) : List.of(p.getMetadata().getName())) {
            (CertificateAuthority.isIpAddress(host) ? ips : dnsNames).add(host);
        }
        addStrings(dnsNames, user.get("dnsNames"));
        addStrings(ips, user.get("ipAddresses"));

        Map<String, Object> issuerRef = new LinkedHashMap<>();
        issuerRef.put("name", issuer.getName());
        issuerRef.put("kind", issuer.getKind() == null ? "Issuer" : issuer.getKind());
        issuerRef.put("group", GROUP);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("secretName", TlsLayout.certSecret(p, alias));
        spec.put("issuerRef", issuerRef);
        spec.put("commonName", TlsLayout.SERVER.equals(alias) ? p.getMetadata().getName() : alias);
        spec.put("dnsNames", dnsNames);
        if (!ips.isEmpty()) {
            spec.put("ipAddresses", ips);
        }
        spec.put("usages", TlsLayout.SERVER.equals(alias) ? List.of("digital signature", "key encipherment", "server auth")
                : List.of("digital signature", "key encipherment", "client auth"));
        for (String field : COPIED) {
            if (user.get(field) != null) {
                spec.put(field, user.get(field));
            }
        }
        // The Secret cert-manager writes carries our labels, so the provisioner hears when it is issued or renewed.
        spec.put("secretTemplate", Map.of("labels", KubeDbLabels.offshoot(p.getMetadata().getName(), null)));
        return new GenericKubernetesResourceBuilder()
                .withApiVersion(API_VERSION)
                .withKind(KIND)
                .withNewMetadata()
                .withName(TlsLayout.certificate(p, alias))
                .withNamespace(p.getMetadata().getNamespace())
                .withLabels(KubeDbLabels.offshoot(p.getMetadata().getName(), null))
                .withOwnerReferences(OwnerReferences.controlledBy(p))
                .endMetadata()
                .withAdditionalProperties(Map.of("spec", spec))
                .build();
    }

    private static Map<String, Object> entry(ProxySQL p, String alias) {
        List<Map<String, Object>> certificates = p.getSpec().getTls().getCertificates();
        if (certificates != null) {
            for (Map<String, Object> c : certificates) {
                if (alias.equals(c.get("alias"))) {
                    return c;
                }
            }
        }
        return Map.of();
    }

    private static void addStrings(List<String> to, Object values) {
        if (values instanceof List<?> list) {
            list.stream().map(String::valueOf).filter(v -> !to.contains(v)).forEach(to::add);
        }
    }
}
