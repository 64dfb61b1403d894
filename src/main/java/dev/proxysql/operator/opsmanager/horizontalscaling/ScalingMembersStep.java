package dev.proxysql.operator.opsmanager.horizontalscaling;

import dev.proxysql.operator.opsmanager.step.PodConditionType;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.opsmanager.flow.FlowObserver;
import dev.proxysql.operator.opsmanager.flow.StepDecisions;
import dev.proxysql.operator.opsmanager.flow.StepView;
import dev.proxysql.operator.opsmanager.io.ProxySQLReleases;
import dev.proxysql.operator.opsmanager.step.OpsConditions;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;

/**
 * HorizontalScaling's steps:
 * <pre>
 * Pausing ─▶ ScalingMembers ─▶ UpdatingDatabase ─▶ Resuming
 *                 │ (fail/cancel)
 *                 └─▶ RollingBackMembers ─▶ Resuming
 * </pre>
 * Each pass hands the plan's next pod to {@link MemberScaling} (which makes the writes) and records what it answered:
 * a pod done, a wait with its latest pending answer, or a failure that turns the plan into its rollback.
 */
public final class ScalingMembersStep implements Step<StepView> {
    private final FlowObserver observer;
    private final MemberScaling scaling;
    private final ProxySQLReleases releases;
    private final boolean rollback;

    public ScalingMembersStep(FlowObserver observer, MemberScaling scaling, ProxySQLReleases releases, boolean rollback) {
        this.observer = observer;
        this.scaling = scaling;
        this.releases = releases;
        this.rollback = rollback;
    }

    @Override
    public StepView observe(OpsRun run) {
        return observer.observe(run, FlowObserver.Reads.STATEFUL_SET);
    }

    @Override
    public StepOutcome decide(StepView view) {
        return StepDecisions.scalingMembers(view, rollback);
    }

    /**
     * One pass of {@link MemberScaling} on the plan's next pod; a failure rolls back to the original member count,
     * first turning the plan into its rollback.
     */
    @Override
    public StepResult act(OpsRun run, StepView view, StepOutcome outcome) {
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return StepResult.of(outcome);
        }
        Integer from = run.progress().getFromReplicas();
        if (rollback && !MemberPlan.isRollback(run.progress().getPods())) {
            run.progress().setPods(MemberPlan.rollback(run.progress().getPods()));
            run.condition(ConditionType.ROLLBACK, true, OpsReason.ROLLBACK_STARTED, "rolling back to " + from + " members: "
                    + run.progress().getPods().size() + " pod(s) to add or remove back");
            run.save();
            return StepResult.now();
        }
        MemberScaling.Outcome o = scaling.pass(run.writer(), run.clock(), run.request(), run.proxysql(), run.progress().getPods(),
                run.timeout(), run.started(), releases.of(run.progress().getFromVersion()));
        if (o instanceof MemberScaling.Outcome.Advance a) {
            boolean adds = MemberPlan.adds(a.entry());
            run.condition(adds ? PodConditionType.ADD_MEMBER : PodConditionType.REMOVE_MEMBER, a.entry().getName(), MemberPlan.DONE.equals(a.entry().getState()),
                    adds ? OpsReason.HORIZONTAL_SCALE_UP : OpsReason.HORIZONTAL_SCALE_DOWN, a.message());
            run.save();
            run.writer().normal(run.request(), adds ? OpsReason.HORIZONTAL_SCALE_UP : OpsReason.HORIZONTAL_SCALE_DOWN, a.message());
            return StepResult.now();
        }
        if (o instanceof MemberScaling.Outcome.Wait w) {
            var entry = MemberPlan.next(run.progress().getPods()).orElseThrow();
            PodConditionType kind = MemberPlan.adds(entry) ? PodConditionType.ADD_MEMBER : PodConditionType.REMOVE_MEMBER;
            String type = kind.of(entry.getName());
            if (w.message() != null && !Conditions.find(run.status().getConditions(), type).map(c -> w.message().equals(c.getMessage())).orElse(false)) {
                run.condition(kind, entry.getName(), false, OpsReason.CHECK_PENDING, w.message());
                run.save();
            }
            return StepResult.poll();
        }
        if (o instanceof MemberScaling.Outcome.Failed f) {
            return rollback ? new StepResult.RollbackFailed(f.reason())
                    : new StepResult.Failed(new StepOutcome.Fail("step ScalingMembers: " + f.reason(), OpsStep.ROLLING_BACK_MEMBERS));
        }
        Integer to = run.progress().getToReplicas();
        if (rollback) {
            run.condition(ConditionType.ROLLBACK, true, OpsReason.ROLLBACK_SUCCEEDED, "back to " + from + " members");
            run.to(OpsStep.RESUMING);
        } else {
            boolean up = to > from;
            run.condition(up ? ConditionType.HORIZONTAL_SCALE_UP : ConditionType.HORIZONTAL_SCALE_DOWN, true, up ? OpsReason.HORIZONTAL_SCALE_UP : OpsReason.HORIZONTAL_SCALE_DOWN,
                    "scaled from " + from + " to " + to + " members, one pod at a time; every node lists exactly the members");
            run.to(OpsStep.UPDATING_DATABASE);
        }
        run.save();
        return StepResult.now();
    }
}
