package dev.proxysql.operator.opsmanager.rotateauth;

import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;

/** RotatingAuth: the Secret first, then every pod walked up one state at a time ({@link CredentialWalk}). */
public final class RotatingAuthStep implements Step<CredentialWalk.SecretView> {
    private final CredentialWalk walk;

    RotatingAuthStep(CredentialWalk walk) {
        this.walk = walk;
    }

    @Override
    public CredentialWalk.SecretView observe(OpsRun run) {
        return walk.observe(run);
    }

    /** A cancel before the Secret holds the pairs resumes (no pod was written); after, the pods are walked back. */
    @Override
    public StepOutcome decide(CredentialWalk.SecretView view) {
        if (view.deleting()) {
            return new StepOutcome.Fail("cancelled: the request was deleted while the credentials were being rotated",
                    view.pairs().isPresent() ? OpsStep.ROLLING_BACK_AUTH : OpsStep.RESUMING);
        }
        return new StepOutcome.Proceed();
    }

    @Override
    public StepResult act(OpsRun run, CredentialWalk.SecretView view, StepOutcome outcome) {
        return outcome instanceof StepOutcome.Proceed ? walk.rotating(run, view) : StepResult.of(outcome);
    }
}
