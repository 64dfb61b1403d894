package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.opsmanager.io.PodObserver;
import dev.proxysql.operator.opsmanager.io.TemplateChange;
import dev.proxysql.operator.opsmanager.rolling.RollTarget;
import dev.proxysql.operator.opsmanager.rolling.RollbackPlan;
import dev.proxysql.operator.opsmanager.step.OpsConditions;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;
import java.util.Optional;

/**
 * RollingBackStatefulSet: what the previous template needs again (ReconfigureTLS: the original issuer's certificates),
 * then the template rendered from the ProxySQL's unchanged spec, then the pods already moved are planned to go back.
 */
public final class RollingBackStatefulSetStep implements Step<StepView> {
    private final FlowObserver observer;
    private final PodObserver pods;

    public RollingBackStatefulSetStep(FlowObserver observer, PodObserver pods) {
        this.observer = observer;
        this.pods = pods;
    }

    @Override
    public StepView observe(OpsRun run) {
        return observer.observe(run, FlowObserver.Reads.RENDERED);
    }

    @Override
    public StepOutcome decide(StepView view) {
        return StepDecisions.rollingBackStatefulSet(view);
    }

    @Override
    public StepResult act(OpsRun run, StepView view, StepOutcome outcome) {
        TemplateChange back = run.previousChange();
        // What the previous template needs again (ReconfigureTLS: the original issuer's certificates) before the
        // template goes back and before any pod is replaced back, also when the template had not changed yet.
        if (outcome instanceof StepOutcome.ApplyTemplate || outcome instanceof StepOutcome.Proceed) {
            Optional<String> waiting = run.writer().prepareRollback(run.request(), run.op(), run.proxysql());
            if (waiting.isPresent()) {
                // Timed out here too: with the template already back (a failure before it changed), nothing else would.
                return run.stepTimedOut() ? new StepResult.RollbackFailed("still " + waiting.get() + " after " + run.timeoutText()
                        + "; no pod was replaced back") : StepResult.poll();
            }
        }
        if (outcome instanceof StepOutcome.ApplyTemplate) {
            Optional<String> refused = UpdatingStatefulSetStep.applyTemplate(run, back);
            if (refused.isPresent()) {
                return new StepResult.RollbackFailed("the API server refused the previous pod template: " + refused.get());
            }
            run.writer().warning(run.request(), OpsReason.ROLLBACK, "Rolling back StatefulSet " + run.sts().getMetadata().getName() + " to "
                    + back.describe() + " after: " + run.progress().getFailure());
            return StepResult.poll();
        }
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return StepResult.of(outcome);
        }
        RollTarget target = new RollTarget(run.sts().getStatus().getUpdateRevision(), run.progress().getPreviousImages());
        run.progress().setPods(RollbackPlan.plan(pods.observe(run.proxysql()).values(), target));
        run.condition(ConditionType.ROLLBACK, true, OpsReason.ROLLBACK_STARTED, "rolling back to " + back.describe() + ": "
                + run.progress().getPods().size() + " pod(s) to replace back");
        run.to(OpsStep.ROLLING_BACK_PODS);
        run.save();
        return StepResult.now();
    }
}
