package dev.proxysql.operator.opsmanager.step;

/**
 * One step of an ops request ({@code status.progress.step}), in three parts:
 * <ol>
 *   <li>{@link #observe}: read what the step decides on, once per pass, into an immutable view {@code V} (reads only);</li>
 *   <li>{@link #decide}: a pure function of that view, returning a {@link StepOutcome} (wait, fail with the typed next
 *       step, proceed...); unit-tested without a cluster;</li>
 *   <li>{@link #act}: carry the outcome out through the run's {@link StepWriter} (every write is a named stop point),
 *       saving the status before the one side effect, and say what the state machine does next ({@link StepResult}).</li>
 * </ol>
 * A step never calls back into the state machine: failing, a failed rollback and the final phase are results the machine
 * carries out. Steps are held in a map from {@code OpsStep} to step; an ops type brings its own ({@link OpsType}).
 *
 * @param <V> what the step observes
 */
public interface Step<V> {

    V observe(OpsRun run);

    StepOutcome decide(V view);

    StepResult act(OpsRun run, V view, StepOutcome outcome);

    /** Forgets what the step keeps in memory about a request that finished (its UID); nothing by default. */
    default void forget(String requestUid) {
    }

    /** One pass: observe, decide, act. */
    static <V> StepResult take(Step<V> step, OpsRun run) {
        V view = step.observe(run);
        return step.act(run, view, step.decide(view));
    }
}
