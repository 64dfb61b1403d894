package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.opsmanager.step.ConditionType;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.opsmanager.step.OpsConditions;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;

/** UpdatingDatabase: the type's change to the ProxySQL's spec ({@code Operation.updateDatabase}, idempotent), then Resuming. */
public final class UpdatingDatabaseStep implements Step<OpsStep> {

    @Override
    public OpsStep observe(OpsRun run) {
        return run.progress().getStep();
    }

    @Override
    public StepOutcome decide(OpsStep view) {
        return new StepOutcome.Proceed();
    }

    @Override
    public StepResult act(OpsRun run, OpsStep view, StepOutcome outcome) {
        run.writer().updateDatabase(run.request(), run.op(), run.proxysql());
        run.condition(ConditionType.UPDATE_DATABASE, true, OpsReason.UPDATE_DATABASE, run.op().successMessage(run.request(), run.proxysql()));
        run.to(OpsStep.RESUMING);
        run.save();
        return StepResult.now();
    }
}
