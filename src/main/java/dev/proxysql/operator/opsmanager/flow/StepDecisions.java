package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.ops.v1alpha1.ApplyOption;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.kube.GoDuration;
import dev.proxysql.operator.opsmanager.step.StepOutcome.ApplyTemplate;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Fail;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Finish;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Forget;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Pause;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Proceed;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Queued;
import dev.proxysql.operator.opsmanager.step.StepOutcome.RollbackFailed;
import dev.proxysql.operator.opsmanager.step.StepOutcome.Wait;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;
import dev.proxysql.operator.opsmanager.step.OpsReason;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The decide part of the ops manager, for every step but the pod-by-pod work (which {@code rolling/} decides): pure
 * functions of a {@link StepView}. Each failure names its step and why, and says where the request goes next: a
 * failure before the template changed resumes, a later one rolls the template back first (if the request changed
 * images or resources), and a failing rollback still resumes.
 */
public final class StepDecisions {

    private StepDecisions() {
    }

    /** A request whose type this operator does not carry out (or that names none) ends at once. */
    public static Finish unsupported(String why) {
        return Finish.failed(why + "; nothing was changed");
    }

    /** The ProxySQL disappeared after the request started: nothing is left to pause, change or resume. */
    public static Optional<Finish> proxysqlGone(StepView v) {
        return proxysqlGone(v.step(), v.proxysqlExists(), v.proxysqlName());
    }

    /** {@link #proxysqlGone(StepView)} from the three facts it needs (the state machine checks it before any step). */
    public static Optional<Finish> proxysqlGone(OpsStep step, boolean proxysqlExists, String proxysqlName) {
        if (proxysqlExists || step == OpsStep.QUEUED || step == OpsStep.DONE) {
            return Optional.empty();
        }
        return Optional.of(Finish.failed("ProxySQL " + proxysqlName + " was deleted while the request was in step "
                + EnumNames.of(step) + "; nothing is left to resume"));
    }

    /**
     * Queued: waits for the requests ahead on the same ProxySQL, then validates (the same checks and messages as the
     * admission webhook's, which matter where it is not installed or was down), then, with {@code apply: IfReady},
     * waits for a Ready ProxySQL until the timeout.
     */
    public static StepOutcome queued(StepView v, Supplier<Validation> validation) {
        if (v.deleting()) {
            return new Forget();
        }
        if (v.blocker().isPresent()) {
            return new Queued(OpsReason.WAITING_FOR_OPS_REQUEST, "waiting for ProxySQLOpsRequest " + v.blocker().get()
                    + " on the same ProxySQL to finish", false);
        }
        Validation valid = validation.get();
        if (valid.kind() == Validation.Kind.REJECT) {
            return Finish.failed(valid.message() + "; nothing was changed");
        }
        if (valid.kind() == Validation.Kind.NOTHING_TO_DO) {
            return new Finish(valid.message(), null);
        }
        ApplyOption apply = v.apply() == null ? ApplyOption.IF_READY : v.apply();
        if (apply == ApplyOption.IF_READY && v.phase() != DatabasePhase.READY) {
            if (v.stepClockStarted() && v.stepTimedOut()) {
                return Finish.failed("ProxySQL " + v.proxysqlName() + " was not Ready within " + v.timeout() + " (it is "
                        + phaseName(v.phase()) + "); with spec.apply: IfReady the request only runs on a Ready ProxySQL"
                        + " (spec.apply: Always runs it regardless); nothing was changed");
            }
            return new Queued(OpsReason.WAITING_FOR_DATABASE_READY, "waiting for ProxySQL " + v.proxysqlName()
                    + " to be Ready (spec.apply: IfReady); it is " + phaseName(v.phase()), true);
        }
        return new Proceed();
    }

    /** Pausing: pause, wait for the provisioner's acknowledgement, and only then record what to roll back to. */
    public static StepOutcome pausing(StepView v) {
        if (v.deleting()) {
            return new Fail("cancelled: the request was deleted before any pod was touched", OpsStep.RESUMING);
        }
        if (!v.paused()) {
            return new Pause();
        }
        if (!v.pauseAcknowledged()) {
            return v.stepTimedOut()
                    ? new Fail("step Pausing: the provisioner did not acknowledge the pause (condition ProvisionerPaused) within "
                    + v.timeout() + "; is the provisioner running?", OpsStep.RESUMING)
                    : new Wait();
        }
        if (!v.statefulSetExists()) {
            return new Fail("step Pausing: StatefulSet " + v.statefulSetName() + " does not exist", OpsStep.RESUMING);
        }
        return new Proceed();
    }

    /** UpdatingStatefulSet: the new template, taken and observed by the StatefulSet controller within the timeout. */
    public static StepOutcome updatingStatefulSet(StepView v) {
        if (v.deleting()) {
            return fail(v, "cancelled: the request was deleted while the StatefulSet was being updated", OpsStep.ROLLING_BACK_STATEFUL_SET);
        }
        if (!v.statefulSetExists()) {
            return new Fail("step UpdatingStatefulSet: StatefulSet " + v.statefulSetName() + " does not exist", OpsStep.RESUMING);
        }
        if (v.targetFieldDropped()) {
            // Going on would roll nothing and report success.
            return new Fail("step UpdatingStatefulSet: the ProxySQLOpsRequest CRD installed is older than this operator: it "
                    + "dropped status.progress.targetResources; update the CRDs (helm upgrade does not update a chart's crds/)",
                    OpsStep.RESUMING);
        }
        if (v.renderProblem() != null) {
            return fail(v, "step UpdatingStatefulSet: cannot render the new StatefulSet: " + v.renderProblem(), OpsStep.ROLLING_BACK_STATEFUL_SET);
        }
        if (!v.templateTaken()) {
            return v.stepTimedOut()
                    ? fail(v, "step UpdatingStatefulSet: the pod template did not take " + v.change() + " within " + v.timeout(),
                    OpsStep.ROLLING_BACK_STATEFUL_SET)
                    : new ApplyTemplate();
        }
        if (!v.templateObserved()) {
            return v.stepTimedOut()
                    ? fail(v, "step UpdatingStatefulSet: the StatefulSet controller did not observe the new template within "
                    + v.timeout(), OpsStep.ROLLING_BACK_STATEFUL_SET)
                    : new Wait();
        }
        return new Proceed();
    }

    /** ReplacingPods and RollingBackPods, before the rolling engine decides: a cancel, a StatefulSet gone. */
    public static StepOutcome replacingPods(StepView v, boolean rollback) {
        if (v.deleting() && !rollback) {
            return fail(v, "cancelled: the request was deleted while pods were being replaced", OpsStep.ROLLING_BACK_STATEFUL_SET);
        }
        if (!v.statefulSetExists()) {
            return rollback ? new RollbackFailed("StatefulSet " + v.statefulSetName() + " does not exist")
                    : new Fail("step ReplacingPods: StatefulSet " + v.statefulSetName() + " does not exist", OpsStep.RESUMING);
        }
        return new Proceed();
    }

    /** RollingBackStatefulSet: the previous template, taken and observed within the timeout; any failure resumes. */
    public static StepOutcome rollingBackStatefulSet(StepView v) {
        if (!v.statefulSetExists()) {
            return new RollbackFailed("StatefulSet " + v.statefulSetName() + " does not exist");
        }
        if (v.renderProblem() != null) {
            return new RollbackFailed("cannot render the previous StatefulSet: " + v.renderProblem());
        }
        if (!v.templateTaken()) {
            return v.stepTimedOut()
                    ? new RollbackFailed("the pod template did not take " + v.change() + " again within " + v.timeout())
                    : new ApplyTemplate();
        }
        if (!v.templateObserved()) {
            return v.stepTimedOut()
                    ? new RollbackFailed("the StatefulSet controller did not observe the previous template within " + v.timeout())
                    : new Wait();
        }
        return new Proceed();
    }

    /**
     * ScalingMembers and RollingBackMembers (HorizontalScaling), before {@code MemberScaling} takes the next pod: a
     * cancel rolls back to the original member count, a StatefulSet gone ends the request.
     */
    public static StepOutcome scalingMembers(StepView v, boolean rollback) {
        if (v.deleting() && !rollback) {
            return new Fail("cancelled: the request was deleted while members were being added or removed", OpsStep.ROLLING_BACK_MEMBERS);
        }
        if (!v.statefulSetExists()) {
            return rollback ? new RollbackFailed("StatefulSet " + v.statefulSetName() + " does not exist")
                    : new Fail("step ScalingMembers: StatefulSet " + v.statefulSetName() + " does not exist", OpsStep.RESUMING);
        }
        return new Proceed();
    }

    /** A failure rolls back only what was changed: with no image or resource change there is no template to restore. */
    public static Fail fail(StepView v, String reason, OpsStep next) {
        return fail(v.changesTemplate(), reason, next);
    }

    /** {@link #fail(StepView, String, OpsStep)} for a failure found after the pass's observation. */
    public static Fail fail(boolean changesTemplate, String reason, OpsStep next) {
        return new Fail(reason, next == OpsStep.ROLLING_BACK_STATEFUL_SET && !changesTemplate ? OpsStep.RESUMING : next);
    }

    /**
     * The API server refused one of the step's writes ({@code e}) for {@code refusedFor} without a break: retried with a
     * doubling pause (1 s up to 30 s) until the step timeout, then the request fails (rolling back where the step
     * allows). Resuming, and a finished request, are retried for ever: there is nothing else to do.
     */
    public static Optional<StepOutcome> refused(OpsStep step, boolean changesTemplate, String what, Duration refusedFor, Duration timeout) {
        if (refusedFor.compareTo(timeout) < 0 || step == OpsStep.RESUMING || step == OpsStep.DONE) {
            return Optional.empty();
        }
        return Optional.of(failIn(step, changesTemplate, what + "; still refused after " + GoDuration.format(timeout)));
    }

    /**
     * How a request fails in {@code step} for a reason outside the step's own decisions (a write refused past the
     * timeout, the request's {@link RequestDeadline deadline}): before the pause is acknowledged it resumes; in a
     * rollback, the rollback fails (and the request resumes); elsewhere it rolls back what the step may have changed.
     */
    public static StepOutcome failIn(OpsStep step, boolean changesTemplate, String reason) {
        return switch (step) {
            case QUEUED, PAUSING -> new Fail(reason, OpsStep.RESUMING);
            case ROLLING_BACK_STATEFUL_SET, ROLLING_BACK_PODS, ROLLING_BACK_RECONFIGURE, ROLLING_BACK_MEMBERS, ROLLING_BACK_AUTH ->
                    new RollbackFailed(reason);
            // Pods may already have the change: put the previous values back (none were recorded: nothing to put back).
            case RECONFIGURING_PODS -> new Fail(reason, OpsStep.ROLLING_BACK_RECONFIGURE);
            case SCALING_MEMBERS -> new Fail(reason, OpsStep.ROLLING_BACK_MEMBERS);
            // Pods may be part-way through the rotation: walk them back to the previous pair.
            case ROTATING_AUTH -> new Fail(reason, OpsStep.ROLLING_BACK_AUTH);
            default -> fail(changesTemplate, reason, OpsStep.ROLLING_BACK_STATEFUL_SET);
        };
    }

    /** The pause between retries of a refused write: 1 s doubling every 4 s of refusals, at most 30 s. */
    public static Duration retryPause(Duration refusedFor) {
        return Duration.ofSeconds(Math.min(30, 1L << Math.min(5, refusedFor.toSeconds() / 4)));
    }

    /**
     * The final message of a failed request, once resumed: what failed, then what became of the rollback. "Rolled back"
     * only if a rollback ran to its end, as its persisted condition says.
     */
    public static String failureOutcome(String failure, boolean rolledBack, String rollbackFailure, boolean changedImages, String fromVersion,
                                 String previousTemplate) {
        String outcome = rollbackFailure != null
                ? "; rollback also failed: " + rollbackFailure + "; the ProxySQL was resumed anyway"
                : !rolledBack ? "; ProxySQL resumed"
                : changedImages ? "; rolled back: every pod runs " + fromVersion + " again, spec.version unchanged, ProxySQL resumed"
                : "; rolled back: every pod is back on " + previousTemplate + ", the ProxySQL's spec unchanged, ProxySQL resumed";
        return failure + outcome;
    }

    private static String phaseName(DatabasePhase phase) {
        return phase == null ? "not yet provisioned" : EnumNames.of(phase);
    }
}
