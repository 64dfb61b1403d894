package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.opsmanager.io.PodWriter;
import dev.proxysql.operator.opsmanager.step.OpsConditions;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;
import dev.proxysql.operator.topology.PauseProtocol;
import dev.proxysql.operator.topology.ProxySQLNames;
import java.util.List;

/**
 * Resuming: every pod back into the client Service (for the types that take pods out), the pause removed, then the
 * final phase: success, or the failure with what became of its rollback (the type's own message, else the template
 * flow's).
 */
public final class ResumingStep implements Step<ResumingStep.View> {
    private final PodWriter pods;

    /** Whether the ProxySQL is paused, whether a failure was recorded. */
    public record View(boolean paused, boolean failed) {
    }

    public ResumingStep(PodWriter pods) {
        this.pods = pods;
    }

    @Override
    public View observe(OpsRun run) {
        return new View(PauseProtocol.isPaused(run.proxysql()), run.progress().getFailure() != null);
    }

    @Override
    public StepOutcome decide(View view) {
        return new StepOutcome.Proceed();
    }

    @Override
    public StepResult act(OpsRun run, View view, StepOutcome outcome) {
        if (run.op().takesPodsOutOfClientService()) {
            // Whatever the outcome, every pod that is still there serves clients again: a rollback that failed may have
            // left a drained member out of the client Service, and nothing else would put it back.
            List<String> back = run.writer().act(run.request(), "return every pod to the client Service", () -> pods.returnAllToClientService(run.proxysql()));
            if (!back.isEmpty()) {
                run.writer().warning(run.request(), OpsReason.HORIZONTAL_SCALE_DOWN, "Put pod(s) " + String.join(", ", back) + " of ProxySQL "
                        + run.proxysql().getMetadata().getName() + " back into the client Service " + ProxySQLNames.primaryService(run.proxysql())
                        + " (taken out for a scale-down that did not finish)");
            }
        }
        if (view.paused()) {
            run.writer().normal(run.request(), OpsReason.RESUME_DATABASE, "Resuming ProxySQL database: " + run.proxysql().getMetadata().getName());
            run.writer().resume(run.request(), run.proxysql());
        }
        run.condition(ConditionType.RESUME_DATABASE, true, OpsReason.DATABASE_RESUME_SUCCEEDED, "Successfully resumed ProxySQL "
                + run.proxysql().getMetadata().getName());
        if (!view.failed()) {
            return new StepResult.Finished(new StepOutcome.Finish(run.op().successMessage(run.request(), run.proxysql()), null));
        }
        String message = run.op().failureOutcome(run).orElseGet(() -> StepDecisions.failureOutcome(run.progress().getFailure(),
                run.rolledBack(), run.progress().getRollbackFailure(), run.changesImages(), run.progress().getFromVersion(),
                run.previousChange().describe()));
        return new StepResult.Finished(StepOutcome.Finish.failed(message));
    }
}
