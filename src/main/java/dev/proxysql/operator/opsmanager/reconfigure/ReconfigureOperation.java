package dev.proxysql.operator.opsmanager.reconfigure;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.checks.AdminEndpoints;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.OpsType;
import java.util.Map;
import java.util.Optional;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Reconfigure ({@code spec.configuration}): users, query rules, mysql and admin variables, written through each pod's
 * admin interface one pod at a time, with no pod replaced and no template change. It runs through its own steps
 * ({@link ReconfiguringPodsStep}, and {@link RollingBackReconfigureStep} on failure) with {@link PodReconfigurer}; this class
 * gives the checks, the spec the request leaves ({@link InlineConfigUpdate}: the provisioner renders it for new pods)
 * and the condition names KubeDB uses: {@code Reconfigure}, {@code ReconfigureSucceeded}, {@code ReconfigureFailed}.
 */
public final class ReconfigureOperation implements Operation {
    private final KubernetesClient client;
    private final PodReconfigurer pods;

    public ReconfigureOperation(KubernetesClient client, AdminEndpoints endpoints) {
        this.client = client;
        this.pods = new PodReconfigurer(client, endpoints);
    }

    /** The type as the ops manager runs it: this operation and its two steps. */
    public static OpsType type(KubernetesClient client, AdminEndpoints endpoints) {
        ReconfigureOperation op = new ReconfigureOperation(client, endpoints);
        return new OpsType(OpsRequestType.RECONFIGURE, op, Map.of(
                OpsStep.RECONFIGURING_PODS, new ReconfiguringPodsStep(op.pods),
                OpsStep.ROLLING_BACK_RECONFIGURE, new RollingBackReconfigureStep(op.pods)));
    }

    /** The final message of a failed Reconfigure (see {@link ReconfigurePlan#failureOutcome}). */
    @Override
    public Optional<String> failureOutcome(OpsRun run) {
        boolean rolledBack = run.rolledBack() && run.progress().getReconfigure() != null
                && !ReconfigurePlan.rolledBack(run.progress().getReconfigure()).isEmpty();
        return Optional.of(ReconfigurePlan.failureOutcome(run.progress().getFailure(), rolledBack, run.progress().getRollbackFailure()));
    }

    /** The request's configuration, checked; {@link IllegalStateException} if it does not pass (validated before). */
    public static ReconfigureIntent intent(ProxySQLOpsRequest request) {
        ReconfigureIntent.Result r = ReconfigureIntent.of(request.getSpec().getConfiguration());
        if (r.intent() == null) {
            throw new IllegalStateException(r.problem());
        }
        return r.intent();
    }

    @Override
    public OpsStep stepAfterPause(ProxySQLOpsRequest request) {
        return OpsStep.RECONFIGURING_PODS;
    }

    @Override
    public Validation validate(ProxySQLOpsRequest request, ProxySQL proxysql) {
        ReconfigureIntent.Result r = ReconfigureIntent.of(request.getSpec().getConfiguration());
        return r.intent() == null ? Validation.reject(r.problem()) : Validation.run();
    }

    @Override
    public ProxySQL target(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return InlineConfigUpdate.apply(proxysql, intent(request));
    }

    /** Keeps the change in {@code spec.configuration.init.inline}; idempotent (the same merge gives the same spec). */
    @Override
    public void updateDatabase(ProxySQLOpsRequest request, ProxySQL proxysql) {
        ProxySQL target = target(request, proxysql);
        client.resources(ProxySQL.class).inNamespace(proxysql.getMetadata().getNamespace()).withName(proxysql.getMetadata().getName())
                .patch(PatchContext.of(PatchType.JSON_MERGE), InlineConfigUpdate.mergePatch(target));
    }

    @Override
    public ConditionType conditionType() {
        return ConditionType.RECONFIGURE;
    }

    @Override
    public String successMessage(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return "Successfully reconfigured ProxySQL " + proxysql.getMetadata().getName() + ": " + ReconfigurePlan.describe(intent(request));
    }
}
