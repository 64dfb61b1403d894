package dev.proxysql.operator.opsmanager.rotateauth;

import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.OpsType;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.SecretReference;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.checks.AdminEndpoints;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * RotateAuth ({@code spec.authentication.secretRef}, or a generated password without it): the cluster/admin pair the
 * operator and the ProxySQL Cluster use, changed on every pod <b>through its admin interface</b>, no pod replaced. Why
 * not restart the pods as KubeDB does: a pod restarted with its datadir ignores {@code proxysql.cnf} (so a new Secret
 * would not reach it), and pods restarted one at a time with the old and the new pair cannot log in to each other (one
 * admin username holds one password), so the Cluster would stop syncing for the whole roll. The state machine runs it
 * through RotatingAuth and, on failure, RollingBackAuth ({@link RotatingAuthStep}, {@link RollingBackAuthStep}, with
 * {@link dev.proxysql.operator.proxysql.admin.CredentialRotation}'s bridge states); this class gives the checks, the
 * Secrets involved and the final change: {@code spec.authSecret.name} set to the secretRef's Secret, the {@code .prev}
 * keys removed, and {@code status.authSecret.lastUpdateTimestamp} on the ProxySQL.
 */
public final class RotateAuthOperation implements Operation {
    private final KubernetesClient client;
    private final AdminEndpoints endpoints;
    private final Clock clock;

    public RotateAuthOperation(KubernetesClient client, AdminEndpoints endpoints, Clock clock) {
        this.client = client;
        this.endpoints = endpoints;
        this.clock = clock;
    }

    /** The type as the ops manager runs it: this operation and its two steps. */
    public static OpsType type(KubernetesClient client, AdminEndpoints endpoints, Clock clock) {
        RotateAuthOperation op = new RotateAuthOperation(client, endpoints, clock);
        CredentialWalk walk = new CredentialWalk(op);
        return new OpsType(OpsRequestType.ROTATE_AUTH, op, java.util.Map.of(
                dev.proxysql.operator.api.ops.v1alpha1.OpsStep.ROTATING_AUTH, new RotatingAuthStep(walk),
                dev.proxysql.operator.api.ops.v1alpha1.OpsStep.ROLLING_BACK_AUTH, new RollingBackAuthStep(walk)));
    }

    /** The final message of a failed RotateAuth, once resumed. */
    @Override
    public java.util.Optional<String> failureOutcome(OpsRun run) {
        String outcome = run.progress().getRollbackFailure() != null
                ? "; rollback also failed: " + run.progress().getRollbackFailure() + "; the ProxySQL was resumed anyway"
                : run.rolledBack() ? "; rolled back: every pod accepts the previous pair again and the auth Secret is as before, ProxySQL resumed"
                : "; ProxySQL resumed";
        return java.util.Optional.of(run.progress().getFailure() + outcome);
    }

    public AdminEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public OpsStep stepAfterPause(ProxySQLOpsRequest request) {
        return OpsStep.ROTATING_AUTH;
    }

    @Override
    public Validation validate(ProxySQLOpsRequest request, ProxySQL proxysql) {
        Map<String, String> current = secretData(proxysql.getMetadata().getNamespace(), ProxySQLNames.authSecret(proxysql));
        Map<String, String> next = RotateAuthRequest.secretRefName(request)
                .map(name -> secretData(request.getMetadata().getNamespace(), name)).orElse(null);
        return RotateAuthRequest.problem(request, proxysql, next, current == null ? null : current.get("password"))
                .map(Validation::reject).orElse(Validation.run());
    }

    /** The Secret that holds (or will hold) the new pair: the secretRef's, or the current auth Secret for a generated password. */
    public String secretHoldingNewPair(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return RotateAuthRequest.secretRefName(request).orElse(ProxySQLNames.authSecret(proxysql));
    }

    /** Whether the operator generates the password (no secretRef), into the current auth Secret. */
    public boolean generated(ProxySQLOpsRequest request) {
        return RotateAuthRequest.secretRefName(request).isEmpty();
    }

    /** The decoded data of a Secret, or null if it does not exist. */
    public Map<String, String> secretData(String namespace, String name) {
        Secret s = client.secrets().inNamespace(namespace).withName(name).get();
        if (s == null) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** Merge-patches {@code stringData} into a Secret; a null value removes the key (from {@code data}). */
    public void patchSecret(String namespace, String name, Map<String, String> patch) {
        Map<String, Object> data = new LinkedHashMap<>();
        patch.forEach((k, v) -> data.put(k, v == null ? null : Base64.getEncoder().encodeToString(v.getBytes(StandardCharsets.UTF_8))));
        client.secrets().inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("data", data)));
    }

    /** The spec keeps its pods: only {@code spec.authSecret.name} changes, when a secretRef was given. */
    @Override
    public ProxySQL target(ProxySQLOpsRequest request, ProxySQL proxysql) {
        ProxySQL copy = Serialization.clone(proxysql);
        RotateAuthRequest.secretRefName(request).ifPresent(name -> {
            SecretReference ref = copy.getSpec().getAuthSecret() == null ? new SecretReference() : copy.getSpec().getAuthSecret();
            ref.setName(name);
            copy.getSpec().setAuthSecret(ref);
        });
        return copy;
    }

    /**
     * Every pod has the new pair: {@code spec.authSecret.name} names the secretRef's Secret (so the provisioner renders
     * the new pair for new pods after the resume), {@code status.authSecret.lastUpdateTimestamp} says when, and the
     * {@code .prev} keys go. Idempotent; the spec first, so a restart in between finds the same Secret by name.
     */
    @Override
    public void updateDatabase(ProxySQLOpsRequest request, ProxySQL proxysql) {
        String ns = proxysql.getMetadata().getNamespace();
        var resource = client.resources(ProxySQL.class).inNamespace(ns).withName(proxysql.getMetadata().getName());
        RotateAuthRequest.secretRefName(request).ifPresent(name -> resource.patch(PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("spec", Map.of("authSecret", Map.of("name", name))))));
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        resource.subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE),
                Serialization.asJson(Map.of("status", Map.of("authSecret", Map.of("lastUpdateTimestamp", now)))));
        String holder = secretHoldingNewPair(request, proxysql);
        Map<String, String> data = secretData(ns, holder);
        if (data != null && data.containsKey(AuthSecretRotation.PASSWORD_PREV)) {
            patchSecret(ns, holder, AuthSecretRotation.finish());
        }
    }

    /** Each pod is walked through five states (CredentialWalk), and the step clock starts again at every move. */
    @Override
    public int timedWaitsPerMember() {
        return 5;
    }

    @Override
    public ConditionType conditionType() {
        return ConditionType.ROTATE_AUTH;
    }

    @Override
    public String successMessage(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return "Successfully rotated the authentication credentials of ProxySQL " + proxysql.getMetadata().getName()
                + " on every pod (admin-admin_credentials, admin-cluster_username/password)";
    }
}
