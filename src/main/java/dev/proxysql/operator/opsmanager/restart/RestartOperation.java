package dev.proxysql.operator.opsmanager.restart;

import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsType;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.Map;

/**
 * Restart: replaces every pod, one at a time, without changing what they run. A pod-template annotation naming the
 * request makes a new StatefulSet revision, so "on the target" means "restarted by this request" and the shared
 * engine needs no special case; a crash mid-way resumes with the pods not yet restarted.
 */
public final class RestartOperation implements Operation {
    /** The type as the ops manager runs it: this operation over the shared template flow. */
    public static OpsType type() {
        return OpsType.of(OpsRequestType.RESTART, new RestartOperation());
    }

    public static final String RESTARTED_BY = "ops.kubedb.com/restarted-by";

    @Override
    public Validation validate(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return Validation.run();
    }

    /** The spec does not change: the pods are replaced for the template annotation alone. */
    @Override
    public ProxySQL target(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return Serialization.clone(proxysql);
    }

    @Override
    public Map<String, String> templateAnnotations(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return Map.of(RESTARTED_BY, request.getMetadata().getName() + "/" + request.getMetadata().getUid());
    }

    @Override
    public void updateDatabase(ProxySQLOpsRequest request, ProxySQL proxysql) {
        // Nothing in the spec changes.
    }

    @Override
    public ConditionType conditionType() {
        return ConditionType.RESTART;
    }

    @Override
    public String successMessage(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return "Controller has successfully restarted the ProxySQL replicas of " + proxysql.getMetadata().getName();
    }
}
