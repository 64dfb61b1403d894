package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigureProgress;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.opsmanager.OpsStateMachine.Run;
import dev.proxysql.operator.opsmanager.reconfigure.PodReconfigurer;
import dev.proxysql.operator.opsmanager.reconfigure.PodReconfigurer.Outcome;
import dev.proxysql.operator.opsmanager.reconfigure.ReconfigureIntent;
import dev.proxysql.operator.opsmanager.reconfigure.ReconfigurePlan;
import dev.proxysql.operator.opsmanager.types.ReconfigureOperation;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The two steps of a Reconfigure, which replaces no pod:
 * <pre>
 * Pausing ─▶ ReconfiguringPods ─▶ UpdatingDatabase ─▶ Resuming
 *                   │ (fail/cancel, after a write)
 *                   └─▶ RollingBackReconfigure ─▶ Resuming
 * </pre>
 * <b>ReconfiguringPods</b>: first the checks that need ProxySQL and the backend (unknown variables, users missing on
 * the backend) and the previous values, persisted before anything is written (a failure there changes nothing); then,
 * pod by pod in order: the pod must answer, its state is saved as Applying, the change is written, loaded to runtime,
 * saved to disk and checked, and its state saved as Done. A pod that does not answer is tried again until the step
 * timeout (counted per pod); a change ProxySQL does not take fails at once. <b>RollingBackReconfigure</b>: the pods
 * Applying or Done, last first, get the previous values back, checked the same way. Each write goes through
 * {@link OpsEffects}, after the status that says it is about to happen, so a restart repeats at most one idempotent write.
 */
final class ReconfigureSteps {
    static final String POD_CONDITION = "ReconfigurePod--";
    private final OpsStateMachine machine;

    ReconfigureSteps(OpsStateMachine machine) {
        this.machine = machine;
    }

    Optional<Duration> reconfiguringPods(Run run) {
        ReconfigureOperation op = (ReconfigureOperation) run.op;
        PodReconfigurer pods = op.pods();
        ReconfigureProgress rp = run.progress().getReconfigure();
        if (run.deleting()) {
            return machine.failRun(run, new StepOutcome.Fail("cancelled: the request was deleted while pods were being reconfigured",
                    rp == null ? OpsStep.RESUMING : OpsStep.ROLLING_BACK_RECONFIGURE));
        }
        ReconfigureIntent intent = ReconfigureOperation.intent(run.r);
        if (rp == null) {
            Outcome prepared = pods.prepare(run.proxysql, intent);
            if (prepared.kind() == Outcome.Kind.FAILED || prepared.kind() == Outcome.Kind.RETRY && run.stepTimedOut()) {
                return machine.failRun(run, new StepOutcome.Fail("step ReconfiguringPods: " + prepared.message(), OpsStep.RESUMING));
            }
            if (prepared.kind() == Outcome.Kind.RETRY) {
                return machine.pollAgain();
            }
            run.progress().setReconfigure(prepared.progress());
            run.condition(op.conditionType(), false, "ReconfigureStarted", "reconfiguring " + prepared.progress().getPods().size()
                    + " pod(s) one at a time: " + ReconfigurePlan.describe(intent) + " (" + prepared.message() + ")");
            run.save();
            return Optional.of(Duration.ZERO);
        }
        Optional<String> next = ReconfigurePlan.nextToApply(rp);
        if (next.isEmpty()) {
            run.condition(op.conditionType(), true, "ReconfigurePodsSucceeded", "every pod was reconfigured and checked: "
                    + ReconfigurePlan.describe(intent));
            run.to(OpsStep.UPDATING_DATABASE);
            run.save();
            return Optional.of(Duration.ZERO);
        }
        String pod = next.get();
        if (ReconfigureProgress.PENDING.equals(rp.getPods().get(pod))) {
            // Nothing is written to a pod that does not answer: a failure then leaves it out of the rollback.
            Outcome reachable = pods.reachable(run.proxysql, pod);
            if (reachable.kind() != Outcome.Kind.DONE) {
                return retryOrFail(run, rp, pod, reachable);
            }
            rp.getPods().put(pod, ReconfigureProgress.APPLYING);
            if (rp.getPodStartedAt() == null) {
                rp.setPodStartedAt(Conditions.now(machine.clock()));
            }
            run.save();
        }
        Outcome applied = machine.effects().act(run.r, "reconfigure " + pod, () -> pods.apply(run.proxysql, intent, pod));
        if (applied.kind() != Outcome.Kind.DONE) {
            return retryOrFail(run, rp, pod, applied);
        }
        rp.getPods().put(pod, ReconfigureProgress.DONE);
        rp.setPodStartedAt(null);
        run.condition(POD_CONDITION + pod, true, "ReconfigurePodSucceeded", applied.message());
        run.save();
        machine.effects().normal(run.r, OpsReason.RECONFIGURE_POD, "Reconfigured pod " + run.proxysql.getMetadata().getNamespace() + "/"
                + pod + ": " + ReconfigurePlan.describe(intent));
        return Optional.of(Duration.ZERO);
    }

    Optional<Duration> rollingBack(Run run) {
        ReconfigureProgress rp = run.progress().getReconfigure();
        Optional<String> next = rp == null ? Optional.empty() : ReconfigurePlan.nextToRollBack(rp);
        if (next.isEmpty()) {
            run.condition(OpsConditions.ROLLBACK, true, OpsReason.ROLLBACK_SUCCEEDED, "the previous values are back on "
                    + (rp == null ? java.util.List.of() : ReconfigurePlan.rolledBack(rp)));
            run.to(OpsStep.RESUMING);
            run.save();
            return Optional.of(Duration.ZERO);
        }
        String pod = next.get();
        Outcome restored = machine.effects().act(run.r, "restore " + pod, () -> ((ReconfigureOperation) run.op).pods()
                .restore(run.proxysql, rp, pod));
        if (restored.kind() == Outcome.Kind.RETRY && !run.stepTimedOut()) {
            return machine.pollAgain();
        }
        if (restored.kind() != Outcome.Kind.DONE) {
            return machine.rollbackFailedRun(run, restored.message());
        }
        rp.getPods().put(pod, ReconfigureProgress.ROLLED_BACK);
        run.condition(POD_CONDITION + pod, false, "ReconfigurePodRolledBack", restored.message());
        run.save();
        machine.effects().warning(run.r, OpsReason.ROLLBACK, "Put the previous configuration back on pod "
                + run.proxysql.getMetadata().getNamespace() + "/" + pod);
        return Optional.of(Duration.ZERO);
    }

    /** A pod that does not answer (or a backend) is tried again until the timeout, counted from the pod's first try. */
    private Optional<Duration> retryOrFail(Run run, ReconfigureProgress rp, String pod, Outcome outcome) {
        if (outcome.kind() == Outcome.Kind.RETRY) {
            if (rp.getPodStartedAt() == null) {
                rp.setPodStartedAt(Conditions.now(machine.clock()));
                run.condition(POD_CONDITION + pod, false, "ReconfigurePodPending", outcome.message());
                run.save();
                return machine.pollAgain();
            }
            Instant from = Instant.parse(rp.getPodStartedAt());
            if (from.isBefore(machine.started())) {
                from = machine.started();
            }
            if (Instant.now(machine.clock()).isBefore(from.plus(run.timeout()))) {
                return machine.pollAgain();
            }
        }
        String why = outcome.kind() == Outcome.Kind.RETRY ? outcome.message() + " (tried for " + run.timeoutText() + ")" : outcome.message();
        run.condition(POD_CONDITION + pod, false, "ReconfigurePodFailed", why);
        return machine.failRun(run, new StepOutcome.Fail("step ReconfiguringPods, pod " + pod + ": " + why, OpsStep.ROLLING_BACK_RECONFIGURE));
    }

    /** The final message of a failed Reconfigure (see {@link ReconfigurePlan#failureOutcome}). */
    static String failureOutcome(OpsRequestStatus status, OpsProgress progress) {
        boolean rolledBack = Conditions.find(status.getConditions(), OpsConditions.ROLLBACK)
                .filter(c -> OpsReason.ROLLBACK_SUCCEEDED.value().equals(c.getReason())).isPresent()
                && progress.getReconfigure() != null && !ReconfigurePlan.rolledBack(progress.getReconfigure()).isEmpty();
        return ReconfigurePlan.failureOutcome(progress.getFailure(), rolledBack, progress.getRollbackFailure());
    }
}
