package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLStatus;
import dev.proxysql.operator.provisioner.status.ConditionTypes;
import dev.proxysql.operator.topology.PauseProtocol;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes the provisioner's part of a ProxySQL's status with server-side apply, and only when it differs from what is
 * stored. Conditions are a map-list keyed by type, so the apply carries (and owns) only the provisioner's
 * conditions; the ops manager's {@code Paused} is neither copied nor removed.
 */
final class StatusWriter {
    static final Set<String> OWNED_TYPES = Set.of(ConditionTypes.PROVISIONING_STARTED, ConditionTypes.PROVISIONED,
            ConditionTypes.REPLICA_READY, ConditionTypes.ACCEPTING_CONNECTION, ConditionTypes.READY, ConditionTypes.HALTED,
            ConditionTypes.DEPENDENCY_READY, PauseProtocol.PROVISIONER_PAUSED, ConditionTypes.MONITOR_USER_READY,
            ConditionTypes.INTERNAL_USERS_SYNCED, ConditionTypes.BACKEND_MODE_DETECTED);

    private final KubernetesClient client;
    private final String fieldManager;

    StatusWriter(KubernetesClient client, String fieldManager) {
        this.client = client;
        this.fieldManager = fieldManager;
    }

    /** Returns whether a write was made. */
    boolean write(ProxySQL p, ProxySQLStatus computed) {
        if (unchanged(p.getStatus(), computed)) {
            return false;
        }
        ProxySQL patch = new ProxySQL();
        patch.setMetadata(new ObjectMetaBuilder().withName(p.getMetadata().getName())
                .withNamespace(p.getMetadata().getNamespace()).build());
        patch.setStatus(computed);
        client.resources(ProxySQL.class).inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName())
                .subresource("status")
                .patch(new PatchContext.Builder().withPatchType(PatchType.SERVER_SIDE_APPLY)
                        .withFieldManager(fieldManager).withForce(true).build(), patch);
        return true;
    }

    static boolean unchanged(ProxySQLStatus stored, ProxySQLStatus computed) {
        if (stored == null) {
            return false;
        }
        if (stored.getPhase() != computed.getPhase() || !Objects.equals(stored.getObservedGeneration(), computed.getObservedGeneration())) {
            return false;
        }
        Map<String, String> storedOwned = byType(stored.getConditions());
        Map<String, String> computedOwned = byType(computed.getConditions());
        return storedOwned.equals(computedOwned);
    }

    private static Map<String, String> byType(List<Condition> conditions) {
        return conditions == null ? Map.of() : conditions.stream()
                .filter(c -> OWNED_TYPES.contains(c.getType()))
                .collect(Collectors.toMap(Condition::getType, Serialization::asJson, (a, b) -> a));
    }

}
