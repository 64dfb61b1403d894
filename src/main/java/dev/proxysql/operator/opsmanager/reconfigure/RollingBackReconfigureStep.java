package dev.proxysql.operator.opsmanager.reconfigure;

import dev.proxysql.operator.opsmanager.step.PodConditionType;
import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigureProgress;
import dev.proxysql.operator.opsmanager.reconfigure.PodReconfigurer.Outcome;
import dev.proxysql.operator.opsmanager.step.OpsConditions;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;
import java.util.List;
import java.util.Optional;

/**
 * RollingBackReconfigure: the pods marked Applying or Done, last first, get the recorded previous values back, checked
 * the same way as the change; a pod that never answered was never written and is left out.
 */
public final class RollingBackReconfigureStep implements Step<Optional<String>> {
    private final PodReconfigurer pods;

    public RollingBackReconfigureStep(PodReconfigurer pods) {
        this.pods = pods;
    }

    /** The next pod to restore, if any. */
    @Override
    public Optional<String> observe(OpsRun run) {
        ReconfigureProgress rp = run.progress().getReconfigure();
        return rp == null ? Optional.empty() : ReconfigurePlan.nextToRollBack(rp);
    }

    @Override
    public StepOutcome decide(Optional<String> next) {
        return new StepOutcome.Proceed();
    }

    @Override
    public StepResult act(OpsRun run, Optional<String> next, StepOutcome outcome) {
        ReconfigureProgress rp = run.progress().getReconfigure();
        if (next.isEmpty()) {
            run.condition(ConditionType.ROLLBACK, true, OpsReason.ROLLBACK_SUCCEEDED, "the previous values are back on "
                    + (rp == null ? List.of() : ReconfigurePlan.rolledBack(rp)));
            run.to(OpsStep.RESUMING);
            run.save();
            return StepResult.now();
        }
        String pod = next.get();
        Outcome restored = run.writer().act(run.request(), "restore " + pod, () -> pods.restore(run.proxysql(), run.request(), rp, pod));
        if (restored.kind() == Outcome.Kind.RETRY && !run.stepTimedOut()) {
            return StepResult.poll();
        }
        if (restored.kind() != Outcome.Kind.DONE) {
            return new StepResult.RollbackFailed(restored.message());
        }
        rp.getPods().put(pod, ReconfigureProgress.ROLLED_BACK);
        run.condition(PodConditionType.RECONFIGURE_POD, pod, false, OpsReason.RECONFIGURE_POD_ROLLED_BACK, restored.message());
        run.save();
        run.writer().warning(run.request(), OpsReason.ROLLBACK, "Put the previous configuration back on pod "
                + run.proxysql().getMetadata().getNamespace() + "/" + pod);
        return StepResult.now();
    }
}
