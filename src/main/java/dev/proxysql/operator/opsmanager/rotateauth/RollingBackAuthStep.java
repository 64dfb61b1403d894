package dev.proxysql.operator.opsmanager.rotateauth;

import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;

/** RollingBackAuth: every pod walked down to the previous pair ({@link CredentialWalk}), then the Secret restored. */
public final class RollingBackAuthStep implements Step<CredentialWalk.SecretView> {
    private final CredentialWalk walk;

    RollingBackAuthStep(CredentialWalk walk) {
        this.walk = walk;
    }

    @Override
    public CredentialWalk.SecretView observe(OpsRun run) {
        return walk.observe(run);
    }

    /** A rollback is not cancelled: it runs to its end or fails. */
    @Override
    public StepOutcome decide(CredentialWalk.SecretView view) {
        return new StepOutcome.Proceed();
    }

    @Override
    public StepResult act(OpsRun run, CredentialWalk.SecretView view, StepOutcome outcome) {
        return walk.rollingBack(run, view);
    }
}
