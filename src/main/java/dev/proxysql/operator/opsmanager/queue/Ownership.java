package dev.proxysql.operator.opsmanager.queue;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Which request owns a ProxySQL: the annotation {@value #ANNOTATION} on the ProxySQL, {@code <request name>/<uid>}.
 * A request takes it before it leaves the queue and gives it back once its final phase is stored; the write that takes
 * it is conditional at the API server (the ProxySQL's resourceVersion, or a JSON-patch test of the previous holder),
 * so of two requests deciding at once from the same view only one leaves the queue. The informer-based queue
 * ({@link OpsQueue}) decides the order; this record makes "one at a time" hold where that view is stale (a status not
 * yet in the informer cache, stamps out of order, no webhook). Pure: the claim is decided here, written in io/.
 */
public final class Ownership {
    public static final String ANNOTATION = "ops.proxysql.dev/held-by";

    private Ownership() {
    }

    /** A request as the record names it: name and UID (a request deleted and created again under its name is another). */
    public record Holder(String name, String uid) {
        public static Holder of(ProxySQLOpsRequest r) {
            return new Holder(r.getMetadata().getName(), r.getMetadata().getUid());
        }

        /** {@code name/uid}; a name cannot contain '/', so the value splits at its last one. */
        public String value() {
            return name + "/" + uid;
        }

        static Optional<Holder> parse(String value) {
            int slash = value == null ? -1 : value.lastIndexOf('/');
            return slash <= 0 || slash == value.length() - 1 ? Optional.empty()
                    : Optional.of(new Holder(value.substring(0, slash), value.substring(slash + 1)));
        }
    }

    /** The annotation's raw value, or null. */
    public static String recorded(ProxySQL p) {
        Map<String, String> annotations = p.getMetadata().getAnnotations();
        return annotations == null ? null : annotations.get(ANNOTATION);
    }

    /** Whether the ProxySQL's record names {@code r}. */
    public static boolean holds(ProxySQL p, ProxySQLOpsRequest r) {
        return Holder.of(r).value().equals(recorded(p));
    }

    /** What a request that wants to leave the queue finds on the ProxySQL. */
    public sealed interface Claim {
    }

    /** Nobody holds it: take it, on the condition that the ProxySQL has not changed since it was read. */
    public record Free() implements Claim {
    }

    /** It already holds it (it took it and was stopped before its status said so). */
    public record Mine() implements Claim {
    }

    /** {@code previous} holds it but is finished or gone: take it, on the condition that it still names {@code previous}. */
    public record Stale(String previous) implements Claim {
    }

    /** Another unfinished request holds it: stay queued. */
    public record HeldBy(Holder holder) implements Claim {
    }

    /**
     * @param recorded the annotation's value as read live (null: none)
     * @param running  whether a holder is a request that exists with that UID and has no final phase (a live read)
     */
    public static Claim claim(String recorded, Holder me, Predicate<Holder> running) {
        if (recorded == null) {
            return new Free();
        }
        Optional<Holder> holder = Holder.parse(recorded);
        if (holder.isPresent() && holder.get().equals(me)) {
            return new Mine();
        }
        // Unreadable (written by hand) counts as nobody's.
        return holder.isPresent() && running.test(holder.get()) ? new HeldBy(holder.get()) : new Stale(recorded);
    }
}
