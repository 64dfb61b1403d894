package dev.proxysql.operator.opsmanager.types;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * HorizontalScaling: moves the ProxySQL Cluster to {@code spec.horizontalScaling.member} members, one pod at a time
 * (the state machine's ScalingMembers step, {@code opsmanager/scaling}), then sets {@code spec.replicas}. Bounds as
 * KubeDB's webhook: 3 to 50.
 */
public final class HorizontalScalingOperation implements Operation {
    public static final int MIN_MEMBERS = 3;
    public static final int MAX_MEMBERS = 50;
    private final KubernetesClient client;

    public HorizontalScalingOperation(KubernetesClient client) {
        this.client = client;
    }

    @Override
    public Validation validate(ProxySQLOpsRequest request, ProxySQL proxysql) {
        Integer member = member(request);
        if (member == null) {
            return Validation.reject("spec.horizontalScaling.member: required when spec.type is HorizontalScaling");
        }
        if (member < MIN_MEMBERS || member > MAX_MEMBERS) {
            // KubeDB's message, with the field in front.
            return Validation.reject("spec.horizontalScaling.member: " + member + ": Group size can not be less than " + MIN_MEMBERS
                    + " or greater than " + MAX_MEMBERS + ", range: [" + MIN_MEMBERS + "," + MAX_MEMBERS + "]");
        }
        int current = ProxySQLNames.replicas(proxysql);
        if (member == current) {
            return Validation.reject("spec.horizontalScaling.member: ProxySQL " + proxysql.getMetadata().getName() + " already has "
                    + current + " replicas; name another member count");
        }
        return Validation.run();
    }

    @Override
    public ProxySQL target(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return withMembers(proxysql, member(request));
    }

    /** A copy of {@code proxysql} with {@code members} replicas: what each step of the scaling renders. */
    public static ProxySQL withMembers(ProxySQL proxysql, int members) {
        ProxySQL copy = Serialization.clone(proxysql);
        copy.getSpec().setReplicas(members);
        return copy;
    }

    @Override
    public OpsStep stepAfterPause(ProxySQLOpsRequest request) {
        return OpsStep.SCALING_MEMBERS;
    }

    @Override
    public void updateDatabase(ProxySQLOpsRequest request, ProxySQL proxysql) {
        int member = member(request);
        if (proxysql.getSpec().getReplicas() == null || proxysql.getSpec().getReplicas() != member) {
            client.resources(ProxySQL.class).inNamespace(proxysql.getMetadata().getNamespace()).withName(proxysql.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + member + "}}");
        }
    }

    @Override
    public String conditionType() {
        return "HorizontalScale";
    }

    @Override
    public String successMessage(ProxySQLOpsRequest request, ProxySQL proxysql) {
        return "Successfully scaled ProxySQL " + proxysql.getMetadata().getName() + " to " + member(request)
                + " replicas; every node lists the " + member(request) + " members";
    }

    private static Integer member(ProxySQLOpsRequest r) {
        return r.getSpec().getHorizontalScaling() == null ? null : r.getSpec().getHorizontalScaling().getMember();
    }
}
