package dev.proxysql.operator.opsmanager.reconfigure;

import dev.proxysql.operator.opsmanager.step.PodConditionType;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigureProgress;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.opsmanager.reconfigure.PodReconfigurer.Outcome;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.OpsRun;
import dev.proxysql.operator.opsmanager.step.Step;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import dev.proxysql.operator.opsmanager.step.StepResult;
import java.util.Optional;

/**
 * ReconfiguringPods, the first of a Reconfigure's two steps, which replace no pod:
 * <pre>
 * Pausing ─▶ ReconfiguringPods ─▶ UpdatingDatabase ─▶ Resuming
 *                   │ (fail/cancel, after a write)
 *                   └─▶ RollingBackReconfigure ─▶ Resuming
 * </pre>
 * First the checks that need ProxySQL and the backend (unknown variables, users missing on the backend) and the
 * previous values, persisted before anything is written (a failure there changes nothing); then, pod by pod in order:
 * the pod must answer, its state is saved as Applying, the change is written, loaded to runtime, saved to disk and
 * checked, and its state saved as Done. A pod that does not answer is tried again until the step timeout (counted per
 * pod); a change ProxySQL does not take fails at once. Each write goes through the writer, after the status that says
 * it is about to happen, so a restart repeats at most one idempotent write.
 */
public final class ReconfiguringPodsStep implements Step<ReconfiguringPodsStep.View> {
    private final PodReconfigurer pods;

    /** Whether the request is being deleted, and whether the previous values were recorded (so a write may have happened). */
    public record View(boolean deleting, boolean prepared) {
    }

    public ReconfiguringPodsStep(PodReconfigurer pods) {
        this.pods = pods;
    }

    @Override
    public View observe(OpsRun run) {
        return new View(run.deleting(), run.progress().getReconfigure() != null);
    }

    /** A cancel before the first write resumes; after it, the pods written get their previous values back. */
    @Override
    public StepOutcome decide(View view) {
        if (view.deleting()) {
            return new StepOutcome.Fail("cancelled: the request was deleted while pods were being reconfigured",
                    view.prepared() ? OpsStep.ROLLING_BACK_RECONFIGURE : OpsStep.RESUMING);
        }
        return new StepOutcome.Proceed();
    }

    @Override
    public StepResult act(OpsRun run, View view, StepOutcome outcome) {
        if (!(outcome instanceof StepOutcome.Proceed)) {
            return StepResult.of(outcome);
        }
        ReconfigureProgress rp = run.progress().getReconfigure();
        ReconfigureIntent intent = ReconfigureOperation.intent(run.request());
        if (rp == null) {
            Outcome prepared = pods.prepare(run.proxysql(), run.request(), intent);
            if (prepared.kind() == Outcome.Kind.FAILED || prepared.kind() == Outcome.Kind.RETRY && run.stepTimedOut()) {
                return new StepResult.Failed(new StepOutcome.Fail("step ReconfiguringPods: " + prepared.message(), OpsStep.RESUMING));
            }
            if (prepared.kind() == Outcome.Kind.RETRY) {
                return StepResult.poll();
            }
            run.progress().setReconfigure(prepared.progress());
            run.condition(run.op().conditionType(), false, OpsReason.RECONFIGURE_STARTED, "reconfiguring " + prepared.progress().getPods().size()
                    + " pod(s) one at a time: " + ReconfigurePlan.describe(intent) + " (" + prepared.message() + ")");
            run.save();
            return StepResult.now();
        }
        Optional<String> next = ReconfigurePlan.nextToApply(rp);
        if (next.isEmpty()) {
            run.condition(run.op().conditionType(), true, OpsReason.RECONFIGURE_PODS_SUCCEEDED, "every pod was reconfigured and checked: "
                    + ReconfigurePlan.describe(intent));
            run.to(OpsStep.UPDATING_DATABASE);
            run.save();
            return StepResult.now();
        }
        String pod = next.get();
        if (ReconfigureProgress.PENDING.equals(rp.getPods().get(pod))) {
            // Nothing is written to a pod that does not answer: a failure then leaves it out of the rollback.
            Outcome reachable = pods.reachable(run.proxysql(), pod);
            if (reachable.kind() != Outcome.Kind.DONE) {
                return retryOrFail(run, rp, pod, reachable);
            }
            rp.getPods().put(pod, ReconfigureProgress.APPLYING);
            if (rp.getPodStartedAt() == null) {
                rp.setPodStartedAt(Conditions.now(run.clock()));
            }
            run.save();
        }
        Outcome applied = run.writer().act(run.request(), "reconfigure " + pod, () -> pods.apply(run.proxysql(), intent, pod));
        if (applied.kind() != Outcome.Kind.DONE) {
            return retryOrFail(run, rp, pod, applied);
        }
        rp.getPods().put(pod, ReconfigureProgress.DONE);
        rp.setPodStartedAt(null);
        run.condition(PodConditionType.RECONFIGURE_POD, pod, true, OpsReason.RECONFIGURE_POD_SUCCEEDED, applied.message());
        run.save();
        run.writer().normal(run.request(), OpsReason.RECONFIGURE_POD, "Reconfigured pod " + run.proxysql().getMetadata().getNamespace() + "/"
                + pod + ": " + ReconfigurePlan.describe(intent));
        return StepResult.now();
    }

    /** A pod that does not answer (or a backend) is tried again until the timeout, counted from the pod's first try. */
    private static StepResult retryOrFail(OpsRun run, ReconfigureProgress rp, String pod, Outcome outcome) {
        if (outcome.kind() == Outcome.Kind.RETRY) {
            if (rp.getPodStartedAt() == null) {
                rp.setPodStartedAt(Conditions.now(run.clock()));
                run.condition(PodConditionType.RECONFIGURE_POD, pod, false, OpsReason.RECONFIGURE_POD_PENDING, outcome.message());
                run.save();
                return StepResult.poll();
            }
            if (!run.timedOut(rp.getPodStartedAt())) {
                return StepResult.poll();
            }
        }
        String why = outcome.kind() == Outcome.Kind.RETRY ? outcome.message() + " (tried for " + run.timeoutText() + ")" : outcome.message();
        run.condition(PodConditionType.RECONFIGURE_POD, pod, false, OpsReason.RECONFIGURE_POD_FAILED, why);
        return new StepResult.Failed(new StepOutcome.Fail("step ReconfiguringPods, pod " + pod + ": " + why, OpsStep.ROLLING_BACK_RECONFIGURE));
    }
}
