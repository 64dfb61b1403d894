package dev.proxysql.operator.opsmanager.rolling;

/**
 * The one side effect the caller makes after persisting {@link Decision#progress()}. Every action is safe to repeat:
 * after a crash the engine hands back the same action for the same persisted progress.
 */
public sealed interface Action permits Action.Evict, Action.Verify, Action.Wait, Action.Complete, Action.Fail {

    /**
     * Request the eviction of exactly this pod: Eviction API with {@code deleteOptions.preconditions.uid = uid}, so a
     * replacement of the same name is never evicted by mistake. A 429 (PodDisruptionBudget) or 404/409 is not an
     * error: the next reconcile observes the outcome and decides again.
     */
    record Evict(String pod, String uid, String reason) implements Action {
    }

    /**
     * The replacement {@code uid} is Ready on the target: run the ProxySQL-level check on it (read-only), then hand
     * this action and the outcome to {@link RollingReplacement#verified}.
     */
    record Verify(String pod, String uid) implements Action {
    }

    /** Nothing to do now; {@code expectation} says what is awaited (and how long it may still take). */
    record Wait(String pod, String expectation) implements Action {
    }

    /** Every listed pod is Done. */
    record Complete() implements Action {
    }

    /** Give up: {@code reason} names the pod and what did not happen in time. The roll (or the rollback) failed. */
    record Fail(String pod, String reason) implements Action {
    }
}
