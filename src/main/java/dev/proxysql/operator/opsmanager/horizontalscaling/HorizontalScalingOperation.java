package dev.proxysql.operator.opsmanager.horizontalscaling;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestType;
import dev.proxysql.operator.opsmanager.checks.ProxySQLLevelCheck;
import dev.proxysql.operator.opsmanager.flow.FlowObserver;
import dev.proxysql.operator.opsmanager.io.ProxySQLReleases;
import dev.proxysql.operator.opsmanager.io.TemplateRenderer;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.step.Operation;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.OpsType;
import dev.proxysql.operator.topology.ProxySQLNames;
import java.util.Map;
import java.util.Optional;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/**
 * HorizontalScaling: moves the ProxySQL Cluster to {@code spec.horizontalScaling.member} members, one pod at a time
 * ({@link ScalingMembersStep}, {@link MemberScaling}, {@link MemberPlan}), then sets {@code spec.replicas}. Bounds as
 * KubeDB's webhook: 3 to 50.
 */
public final class HorizontalScalingOperation implements Operation {
    public static final int MIN_MEMBERS = 3;
    public static final int MAX_MEMBERS = 50;
    private final KubernetesClient client;

    public HorizontalScalingOperation(KubernetesClient client) {
        this.client = client;
    }

    /** The type as the ops manager runs it: this operation and its two steps. */
    public static OpsType type(KubernetesClient client, ProxySQLLevelCheck check) {
        TemplateRenderer renderer = new TemplateRenderer(client);
        FlowObserver observer = new FlowObserver(client, renderer);
        MemberScaling scaling = new MemberScaling(client, renderer, check);
        ProxySQLReleases releases = new ProxySQLReleases(client);
        return new OpsType(OpsRequestType.HORIZONTAL_SCALING, new HorizontalScalingOperation(client), Map.of(
                OpsStep.SCALING_MEMBERS, new ScalingMembersStep(observer, scaling, releases, false),
                OpsStep.ROLLING_BACK_MEMBERS, new ScalingMembersStep(observer, scaling, releases, true)));
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

    /** The members to add or remove, one pod at a time, instead of a template change. */
    @Override
    public void planAfterPause(ProxySQLOpsRequest request, ProxySQL proxysql, OpsProgress progress) {
        int from = ProxySQLNames.replicas(proxysql);
        int to = ProxySQLNames.replicas(target(request, proxysql));
        progress.setFromReplicas(from);
        progress.setToReplicas(to);
        progress.setPods(MemberPlan.plan(ProxySQLNames.statefulSet(proxysql), from, to));
    }

    @Override
    public boolean takesPodsOutOfClientService() {
        return true;
    }

    @Override
    public Optional<String> failureOutcome(OpsRun run) {
        return Optional.of(MemberPlan.failureOutcome(run.progress().getFailure(), run.rolledBack(), run.progress().getRollbackFailure(),
                run.progress().getFromReplicas()));
    }

    @Override
    public void updateDatabase(ProxySQLOpsRequest request, ProxySQL proxysql) {
        int member = member(request);
        if (proxysql.getSpec().getReplicas() == null || proxysql.getSpec().getReplicas() != member) {
            client.resources(ProxySQL.class).inNamespace(proxysql.getMetadata().getNamespace()).withName(proxysql.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"replicas\":" + member + "}}");
        }
    }

    /** The larger of the member counts before and after: a scale-down drains and removes each member above the target. */
    @Override
    public int members(ProxySQLOpsRequest request, ProxySQL proxysql) {
        Integer member = member(request);
        return Math.max(Operation.super.members(request, proxysql), member == null ? 1 : member);
    }

    /** Adding a member waits for it and then for every node to list it; removing one drains it, then waits for it to go. */
    @Override
    public int timedWaitsPerMember() {
        return 2;
    }

    @Override
    public ConditionType conditionType() {
        return ConditionType.HORIZONTAL_SCALE;
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
