package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.opsmanager.OpsStateMachine.Run;
import dev.proxysql.operator.opsmanager.scaling.MemberPlan;
import java.time.Duration;
import java.util.Optional;

/**
 * HorizontalScaling's steps, next to the state machine as {@link ReconfigureSteps} is:
 * <pre>
 * Pausing ─▶ ScalingMembers ─▶ UpdatingDatabase ─▶ Resuming
 *                 │ (fail/cancel)
 *                 └─▶ RollingBackMembers ─▶ Resuming
 * </pre>
 * Each pass hands the plan's next pod to {@link MemberScaling} (which makes the writes) and records what it answered:
 * a pod done, a wait with its latest pending answer, or a failure that turns the plan into its rollback.
 */
final class MemberScalingSteps {
    private final OpsStateMachine machine;
    private final MemberScaling scaling;
    private final ProxySQLReleases releases;

    MemberScalingSteps(OpsStateMachine machine, MemberScaling scaling, ProxySQLReleases releases) {
        this.machine = machine;
        this.scaling = scaling;
        this.releases = releases;
    }

    /**
     * ScalingMembers and RollingBackMembers (HorizontalScaling): one pass of {@link MemberScaling} on the plan's next
     * pod; a failure rolls back to the original member count, first turning the plan into its rollback.
     */
    Optional<Duration> scalingMembers(Run run, StepOutcome outcome, boolean rollback) {
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return machine.otherwiseRun(run, outcome);
        }
        Integer from = run.progress().getFromReplicas();
        if (rollback && !MemberPlan.isRollback(run.progress().getPods())) {
            run.progress().setPods(MemberPlan.rollback(run.progress().getPods()));
            run.condition(OpsConditions.ROLLBACK, true, OpsReason.ROLLBACK_STARTED, "rolling back to " + from + " members: "
                    + run.progress().getPods().size() + " pod(s) to add or remove back");
            run.save();
            return Optional.of(Duration.ZERO);
        }
        MemberScaling.Outcome o = scaling.pass(run.r, run.proxysql, run.progress().getPods(), run.timeout(), machine.started(),
                releases.of(run.progress().getFromVersion()));
        if (o instanceof MemberScaling.Outcome.Advance a) {
            boolean adds = MemberPlan.adds(a.entry());
            run.condition((adds ? "AddMember--" : "RemoveMember--") + a.entry().getName(), MemberPlan.DONE.equals(a.entry().getState()),
                    adds ? OpsReason.HORIZONTAL_SCALE_UP : OpsReason.HORIZONTAL_SCALE_DOWN, a.message());
            run.save();
            machine.effects().normal(run.r, adds ? OpsReason.HORIZONTAL_SCALE_UP : OpsReason.HORIZONTAL_SCALE_DOWN, a.message());
            return Optional.of(Duration.ZERO);
        }
        if (o instanceof MemberScaling.Outcome.Wait w) {
            var entry = MemberPlan.next(run.progress().getPods()).orElseThrow();
            String type = (MemberPlan.adds(entry) ? "AddMember--" : "RemoveMember--") + entry.getName();
            if (w.message() != null && !Conditions.find(run.status().getConditions(), type).map(c -> w.message().equals(c.getMessage())).orElse(false)) {
                run.condition(type, false, OpsReason.CHECK_PENDING, w.message());
                run.save();
            }
            return machine.pollAgain();
        }
        if (o instanceof MemberScaling.Outcome.Failed f) {
            return rollback ? machine.rollbackFailedRun(run, f.reason())
                    : machine.failRun(run, new StepOutcome.Fail("step ScalingMembers: " + f.reason(), OpsStep.ROLLING_BACK_MEMBERS));
        }
        Integer to = run.progress().getToReplicas();
        if (rollback) {
            run.condition(OpsConditions.ROLLBACK, true, OpsReason.ROLLBACK_SUCCEEDED, "back to " + from + " members");
            run.to(OpsStep.RESUMING);
        } else {
            boolean up = to > from;
            run.condition(up ? "HorizontalScaleUp" : "HorizontalScaleDown", true, up ? OpsReason.HORIZONTAL_SCALE_UP : OpsReason.HORIZONTAL_SCALE_DOWN,
                    "scaled from " + from + " to " + to + " members, one pod at a time; every node lists exactly the members");
            run.to(OpsStep.UPDATING_DATABASE);
        }
        run.save();
        return Optional.of(Duration.ZERO);
    }

}
