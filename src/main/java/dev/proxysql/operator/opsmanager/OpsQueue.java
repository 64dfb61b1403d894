package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * Requests for the same ProxySQL run one at a time, in creation order (name breaks ties). A request waits for every
 * earlier request on the same ProxySQL that is not finished yet.
 */
public final class OpsQueue {
    static final Comparator<ProxySQLOpsRequest> ORDER = Comparator
            .comparing((ProxySQLOpsRequest r) -> r.getMetadata().getCreationTimestamp())
            .thenComparing(r -> r.getMetadata().getName());

    private OpsQueue() {
    }

    /** The earliest unfinished request on the same ProxySQL that was created before {@code request}, if any. */
    public static Optional<ProxySQLOpsRequest> blocker(ProxySQLOpsRequest request, Collection<ProxySQLOpsRequest> all) {
        return all.stream()
                .filter(r -> r.getMetadata().getNamespace().equals(request.getMetadata().getNamespace()))
                .filter(r -> target(r).equals(target(request)))
                .filter(r -> !r.getMetadata().getUid().equals(request.getMetadata().getUid()))
                .filter(r -> r.getStatus() == null || r.getStatus().getPhase() == null || !r.getStatus().getPhase().isFinal())
                .filter(r -> ORDER.compare(r, request) < 0)
                .min(ORDER);
    }

    private static String target(ProxySQLOpsRequest r) {
        return r.getSpec().getProxyRef().getName();
    }
}
