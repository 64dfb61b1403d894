package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;

/** What {@link StepDecisions} decided for one pass; {@link OpsStateMachine} carries it out through {@link OpsEffects}. */
sealed interface StepOutcome {

    /** Nothing to do yet: look again after the poll interval. */
    record Wait() implements StepOutcome {
    }

    /** Set the ProxySQL's Paused condition, then wait for the provisioner to acknowledge it. */
    record Pause() implements StepOutcome {
    }

    /** Write the step's change into the pod template, then wait for the StatefulSet controller to observe it. */
    record ApplyTemplate() implements StepOutcome {
    }

    /** The step's preconditions hold: do its work and move on. */
    record Proceed() implements StepOutcome {
    }

    /** The request is still queued: record why (and, if {@code timed}, start the step clock). */
    record Queued(OpsReason reason, String message, boolean timed) implements StepOutcome {
    }

    /** The request ended before it changed anything: final phase, no pause to undo. */
    record Finish(String success, String failure) implements StepOutcome {
        static Finish failed(String failure) {
            return new Finish(null, failure);
        }
    }

    /** Deleted while queued: release the finalizer (if any) and forget it. */
    record Forget() implements StepOutcome {
    }

    /** The request failed; go on with {@code next} (a rollback or resuming). */
    record Fail(String reason, OpsStep next) implements StepOutcome {
    }

    /** A rollback failed; resume anyway. */
    record RollbackFailed(String reason) implements StepOutcome {
    }
}
