package dev.proxysql.operator.opsmanager.step;

import java.time.Duration;

/**
 * What a {@link Step} asks of the state machine after acting: when to look again, or a transition the machine carries
 * out itself (a failure with where to go next, a failed rollback, the final phase).
 */
public sealed interface StepResult {

    /** Look again after the poll interval. */
    record Poll() implements StepResult {
    }

    /** The status is saved and the next step needs no outside change: follow it at once. */
    record Continue() implements StepResult {
    }

    /** Look again after {@code after}. */
    record After(Duration after) implements StepResult {
    }

    /** Nothing more to do until the next event. */
    record Idle() implements StepResult {
    }

    /** The request failed: record it and go on with {@code fail.next()}. */
    record Failed(StepOutcome.Fail fail) implements StepResult {
    }

    /** A rollback failed: record it and resume anyway. */
    record RollbackFailed(String reason) implements StepResult {
    }

    /** Write the final phase (the ProxySQL is resumed or was never paused) and release the finalizer. */
    record Finished(StepOutcome.Finish finish) implements StepResult {
    }

    static StepResult poll() {
        return new Poll();
    }

    static StepResult now() {
        return new Continue();
    }

    /**
     * The outcomes every step carries out alike: wait, fail, a failed rollback, finish; any other outcome is the step's
     * own to carry out, and reaching here with one is a bug.
     */
    static StepResult of(StepOutcome outcome) {
        if (outcome instanceof StepOutcome.Wait) {
            return poll();
        }
        if (outcome instanceof StepOutcome.Fail f) {
            return new Failed(f);
        }
        if (outcome instanceof StepOutcome.RollbackFailed f) {
            return new RollbackFailed(f.reason());
        }
        if (outcome instanceof StepOutcome.Finish f) {
            return new Finished(f);
        }
        throw new IllegalStateException("no step-independent way to carry out " + outcome);
    }
}
