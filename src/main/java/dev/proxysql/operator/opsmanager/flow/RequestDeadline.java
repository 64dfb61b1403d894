package dev.proxysql.operator.opsmanager.flow;

import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.kube.EnumNames;
import dev.proxysql.operator.kube.GoDuration;
import dev.proxysql.operator.opsmanager.rolling.Times;
import dev.proxysql.operator.opsmanager.step.StepOutcome;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The bound on a whole request that operator restarts cannot move (docs/ops-manager.md, "Timeouts and retries").
 *
 * <p>Step clocks count from the later of a step's start and the operator process's start, so that an operator that
 * was down does not fail at once a step it could not watch. The price: an operator restarting more often than the
 * step timeout (OOM-killed, losing its leadership) never times out a step, and a crash-looping target kept the
 * ProxySQL paused for good. The deadline closes that: computed once when the request leaves the queue (now plus
 * {@link #budget}), persisted in {@code status.progress.deadline}, and once it has passed the request fails like a
 * step that timed out (rolling back where the step allows, then resuming). A failure gives the rollback the same
 * budget again from that moment. Resuming is never bounded: it is what ends every request.
 *
 * <p>The reason for the step clocks' rule is kept once: an operator that was not running when the deadline passed
 * (its process started after it) moves it to its own start plus one step timeout, and records that it did
 * ({@code deadlineExtended}); a later restart moves it no more. Pure functions; the state machine persists.
 */
public final class RequestDeadline {
    /**
     * Waits every request has besides its members': the pause acknowledgement, the StatefulSet controller observing
     * a template, and the type's own first wait (the ProxySQL-wide work of UpdatingDatabase and the like).
     */
    public static final int SHARED_WAITS = 3;

    private RequestDeadline() {
    }

    /**
     * The request's time budget: {@code timeout × (SHARED_WAITS + members × (maxRetries + 1) × waitsPerMember)}. Each
     * timed wait of the request is bounded by one step timeout ({@code spec.timeout}) when the operator does not
     * restart: a pod's attempt (eviction, Ready, check) ends at its start plus the timeout, and each attempt beyond the
     * first is one of {@code maxRetries}; so a request that the step clocks would end is never failed by the budget.
     */
    public static Duration budget(Duration timeout, int members, int maxRetries, int waitsPerMember) {
        long waits = SHARED_WAITS + (long) Math.max(1, members) * (Math.max(0, maxRetries) + 1) * Math.max(1, waitsPerMember);
        return timeout.multipliedBy(waits);
    }

    /** Sets the deadline when the request leaves the queue: {@code budget} from now (the caller saves). */
    public static void start(OpsProgress progress, Duration budget, Instant now) {
        progress.setTimeBudget(GoDuration.format(budget));
        progress.setDeadline(format(now.plus(budget)));
        progress.setDeadlineExtended(null);
    }

    /**
     * Gives the rollback that follows a failure the request's budget again, from now (the caller saves); a request
     * without a budget (it left the queue before deadlines existed) keeps having none.
     */
    public static void restartForRollback(OpsProgress progress, Instant now) {
        if (progress.getTimeBudget() == null || progress.getDeadline() == null) {
            return;
        }
        progress.setDeadline(format(now.plus(GoDuration.parse(progress.getTimeBudget()))));
        progress.setDeadlineExtended(null);
    }

    /** Moves the deadline once ({@link Extend}; the caller saves). */
    public static void extend(OpsProgress progress, Instant until) {
        progress.setDeadline(format(until));
        progress.setDeadlineExtended(true);
    }

    /** What the deadline says of one pass. */
    public sealed interface Verdict {
    }

    /** Not passed (or not bounding this step): the step decides. */
    public record InTime() implements Verdict {
    }

    /** Passed while this operator was not running: move it once, to {@code until}, and let the step go on. */
    public record Extend(Instant until) implements Verdict {
    }

    /** Passed: the request fails ({@link #outcome}). */
    public record Expired(String reason) implements Verdict {
    }

    /**
     * @param deadline     the persisted deadline (RFC 3339); null for a request that left the queue before deadlines
     *                     existed, which has none
     * @param extended     whether it was moved already
     * @param processStart when this operator process started
     * @param timeout      the step timeout: what an extension gives
     * @param budget       the persisted budget (Go duration), for the message
     */
    public static Verdict check(OpsStep step, String deadline, boolean extended, Instant processStart, Instant now, Duration timeout,
                                String budget) {
        Optional<Instant> at = parse(deadline);
        if (at.isEmpty() || !bounds(step) || !now.isAfter(at.get())) {
            return new InTime();
        }
        if (!extended && processStart.isAfter(at.get())) {
            Instant until = processStart.plus(timeout);
            if (now.isBefore(until)) {
                return new Extend(until);
            }
        }
        boolean rollback = rollback(step);
        return new Expired("step " + EnumNames.of(step) + ": " + (rollback ? "the rollback" : "the request") + " did not finish by its deadline "
                + deadline + (extended ? " (moved once for an operator that was not running when it passed)" : "")
                + " (" + (budget == null ? "its time budget" : "time budget " + budget) + " after it "
                + (rollback ? "failed" : "left the queue") + "; operator restarts do not move it)");
    }

    /** How a request fails at its deadline: as a step that timed out there would (see {@link StepDecisions#failIn}). */
    public static StepOutcome outcome(OpsStep step, boolean changesTemplate, String reason) {
        return StepDecisions.failIn(step, changesTemplate, reason);
    }

    /** The deadline bounds every step between leaving the queue and resuming. */
    static boolean bounds(OpsStep step) {
        return step != null && step != OpsStep.QUEUED && step != OpsStep.RESUMING && step != OpsStep.DONE;
    }

    private static boolean rollback(OpsStep step) {
        return switch (step) {
            case ROLLING_BACK_STATEFUL_SET, ROLLING_BACK_PODS, ROLLING_BACK_RECONFIGURE, ROLLING_BACK_MEMBERS, ROLLING_BACK_AUTH -> true;
            default -> false;
        };
    }

    /** Whole seconds, rounded up (like every Kubernetes timestamp, and never earlier than the budget says). */
    static String format(Instant at) {
        Instant whole = at.truncatedTo(ChronoUnit.SECONDS);
        return (whole.equals(at) ? whole : whole.plusSeconds(1)).toString();
    }

    /** Empty for a missing or unreadable value: such a request has no deadline (as before deadlines existed). */
    static Optional<Instant> parse(String rfc3339) {
        return Times.parse(rfc3339);
    }
}
