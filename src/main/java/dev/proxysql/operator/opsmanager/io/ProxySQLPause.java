package dev.proxysql.operator.opsmanager.io;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLStatus;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.topology.PauseProtocol;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.time.Clock;
import java.util.List;

/**
 * Pauses and resumes a ProxySQL: the {@code Paused} condition, written with server-side apply under the ops
 * manager's own field manager. Conditions are a map-list keyed by type, so resuming (applying no condition) removes
 * exactly the condition the ops manager set and nothing the provisioner owns.
 */
public final class ProxySQLPause {
    private final KubernetesClient client;
    private final String fieldManager;
    private final Clock clock;

    public ProxySQLPause(KubernetesClient client, String fieldManager, Clock clock) {
        this.client = client;
        this.fieldManager = fieldManager;
        this.clock = clock;
    }

    public void pause(ProxySQL p, ProxySQLOpsRequest by) {
        Condition c = new Condition(PauseProtocol.PAUSED, Condition.TRUE, PauseProtocol.BY_OPS_REQUEST,
                "Paused by ProxySQLOpsRequest " + by.getMetadata().getName() + " (" + EnumNames.of(by.getSpec().getType()) + ")");
        c.setLastTransitionTime(Conditions.now(clock));
        c.setObservedGeneration(p.getMetadata().getGeneration());
        apply(p, List.of(c));
    }

    public void resume(ProxySQL p) {
        apply(p, List.of());
    }

    private void apply(ProxySQL p, List<Condition> conditions) {
        ProxySQL patch = new ProxySQL();
        patch.setMetadata(new ObjectMetaBuilder().withName(p.getMetadata().getName()).withNamespace(p.getMetadata().getNamespace()).build());
        ProxySQLStatus status = new ProxySQLStatus();
        status.setConditions(conditions);
        patch.setStatus(status);
        client.resources(ProxySQL.class).inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
                .subresource("status")
                .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                        .withFieldManager(fieldManager).withForce(true).build(), patch);
    }
}
