package dev.proxysql.operator.opsmanager.step;

import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;

/** What a step decided for one pass (a pure function of what it observed); the step carries it out through its {@link StepWriter}. */
public sealed interface StepOutcome {

    /** Nothing to do yet: look again after the poll interval. */
    public record Wait() implements StepOutcome {
    }

    /** Set the ProxySQL's Paused condition, then wait for the provisioner to acknowledge it. */
    public record Pause() implements StepOutcome {
    }

    /** Write the step's change into the pod template, then wait for the StatefulSet controller to observe it. */
    public record ApplyTemplate() implements StepOutcome {
    }

    /** The step's preconditions hold: do its work and move on. */
    public record Proceed() implements StepOutcome {
    }

    /** The request is still queued: record why (and, if {@code timed}, start the step clock). */
    public record Queued(OpsReason reason, String message, boolean timed) implements StepOutcome {
    }

    /** The request ended before it changed anything: final phase, no pause to undo. */
    public record Finish(String success, String failure) implements StepOutcome {
        public static Finish failed(String failure) {
            return new Finish(null, failure);
        }
    }

    /** Deleted while queued: release the finalizer (if any) and forget it. */
    public record Forget() implements StepOutcome {
    }

    /** The request failed; go on with {@code next} (a rollback or resuming). */
    public record Fail(String reason, OpsStep next) implements StepOutcome {
    }

    /** A rollback failed; resume anyway. */
    public record RollbackFailed(String reason) implements StepOutcome {
    }
}
