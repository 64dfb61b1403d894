package dev.proxysql.operator.opsmanager.queue;

import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Requests for the same ProxySQL run one at a time, in the order they were created. A request waits for every
 * earlier request on the same ProxySQL that is not finished yet.
 *
 * <p>"Earlier" is {@link #ORDER}: by the {@link QueueStamp} the admission webhook set at creation (nanoseconds); a
 * request without one (created while the webhook was not installed, or with failurePolicy Ignore while it was down)
 * counts as created at the start of its {@code creationTimestamp} second. Equal times are ordered by
 * {@code creationTimestamp}, then by name, so the order is total and the same in every replica.
 */
public final class OpsQueue {
    public static final Comparator<ProxySQLOpsRequest> ORDER = Comparator
            .comparing(OpsQueue::queuedAt, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(OpsQueue::created, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(r -> r.getMetadata().getName());

    private OpsQueue() {
    }

    /**
     * What {@code request} waits for (nothing once it has started itself): a request on the same ProxySQL that has already started, whatever
     * the order says (one at a time does not depend on the order being right: a request admitted without a stamp may
     * sort before one that already runs), else the earliest unfinished one created before it.
     */
    public static Optional<ProxySQLOpsRequest> blocker(ProxySQLOpsRequest request, Collection<ProxySQLOpsRequest> all) {
        if (started(request)) {
            return Optional.empty();
        }
        List<ProxySQLOpsRequest> others = all.stream()
                .filter(r -> r.getMetadata().getNamespace().equals(request.getMetadata().getNamespace()))
                .filter(r -> target(r).equals(target(request)))
                .filter(r -> !r.getMetadata().getUid().equals(request.getMetadata().getUid()))
                .filter(r -> r.getStatus() == null || r.getStatus().getPhase() == null || !r.getStatus().getPhase().isFinal())
                .toList();
        Optional<ProxySQLOpsRequest> started = others.stream().filter(OpsQueue::started).min(ORDER);
        return started.isPresent() ? started : others.stream().filter(r -> ORDER.compare(r, request) < 0).min(ORDER);
    }

    /** Left the queue: it may have paused the ProxySQL and changed its pods. */
    private static boolean started(ProxySQLOpsRequest r) {
        return r.getStatus() != null && r.getStatus().getProgress() != null && r.getStatus().getProgress().getStep() != null
                && r.getStatus().getProgress().getStep() != OpsStep.QUEUED;
    }

    public static Instant queuedAt(ProxySQLOpsRequest r) {
        return QueueStamp.of(r).orElseGet(() -> created(r));
    }

    /** The API server always sets it; null only for an object that was never stored (it then sorts last). */
    private static Instant created(ProxySQLOpsRequest r) {
        String t = r.getMetadata().getCreationTimestamp();
        try {
            return t == null ? null : Instant.parse(t);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String target(ProxySQLOpsRequest r) {
        return r.getSpec().getProxyRef().getName();
    }
}
