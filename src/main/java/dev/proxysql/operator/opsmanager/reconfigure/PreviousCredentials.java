package dev.proxysql.operator.opsmanager.reconfigure;

import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.OwnerReferences;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Where a Reconfigure keeps the previous value of a credential variable ({@code admin-stats_credentials}, see
 * {@link dev.proxysql.operator.proxysql.config.CredentialVariables}) for its rollback: a Secret
 * {@code <request>-previous} owned by the request, so that the value never sits in the request's status (whose
 * {@code previousVariables} shows {@code <redacted>} for it) and goes with the request when it is deleted.
 *
 * <p>It is written before the progress that names it is persisted, and holds what the first pod had before the
 * request wrote anything: written again after a restart, it holds the same values. Only a Reconfigure that changes a
 * credential variable makes one.
 */
public final class PreviousCredentials {
    private static final String SUFFIX = "-previous";
    private static final int MAX_NAME = 253;
    private final KubernetesClient client;

    public PreviousCredentials(KubernetesClient client) {
        this.client = client;
    }

    /** The Secret's name: the request's, with {@code -previous} (shortened to fit a name). */
    public static String secretName(ProxySQLOpsRequest request) {
        String base = request.getMetadata().getName();
        if (base.length() + SUFFIX.length() > MAX_NAME) {
            base = base.substring(0, MAX_NAME - SUFFIX.length() - 9) + "-" + String.format("%08x", base.hashCode());
        }
        return base + SUFFIX;
    }

    /** Creates or replaces the Secret with exactly {@code values} (full variable name to its previous value). */
    public void keep(ProxySQLOpsRequest request, Map<String, String> values) {
        Map<String, String> data = new LinkedHashMap<>();
        values.forEach((name, value) -> data.put(name, Base64.getEncoder().encodeToString(String.valueOf(value).getBytes(StandardCharsets.UTF_8))));
        Secret secret = new SecretBuilder()
                .withNewMetadata()
                .withName(secretName(request))
                .withNamespace(request.getMetadata().getNamespace())
                .withOwnerReferences(ownedBy(request))
                .addToLabels("app.kubernetes.io/managed-by", "proxysql-operator")
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
        client.secrets().inNamespace(request.getMetadata().getNamespace()).resource(secret)
                .fieldManager("proxysql-operator").forceConflicts().serverSideApply();
    }

    /**
     * Owned by the request, so that the garbage collector deletes it with the request; without blockOwnerDeletion,
     * which the API server allows only to whoever may update the request's finalizers (the installed RBAC does not).
     */
    private static OwnerReference ownedBy(ProxySQLOpsRequest request) {
        OwnerReference ref = OwnerReferences.controlledBy(request);
        ref.setBlockOwnerDeletion(null);
        return ref;
    }

    /** The kept values, or empty if the Secret is gone. */
    public Optional<Map<String, String>> read(ProxySQLOpsRequest request) {
        Secret s = client.secrets().inNamespace(request.getMetadata().getNamespace()).withName(secretName(request)).get();
        if (s == null) {
            return Optional.empty();
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return Optional.of(out);
    }
}
