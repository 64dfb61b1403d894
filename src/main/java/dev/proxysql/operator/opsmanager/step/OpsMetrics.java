package dev.proxysql.operator.opsmanager.step;

import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.EnumNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Ops-manager metrics: requests by type and phase (a gauge over the informer cache), finished requests, pod evictions
 * and completed pod replacements.
 */
public final class OpsMetrics {
    /** The phase of a request the operator has not looked at yet. */
    static final String NO_PHASE = "Pending";

    private final MeterRegistry registry;
    private final Counter evictions;
    private final MultiGauge requests;
    /** (type, phase) pairs seen so far: their series stay, at 0 when no request is in that phase any more. */
    private final Set<List<String>> seen = ConcurrentHashMap.newKeySet();
    private volatile Supplier<Stream<ProxySQLOpsRequest>> cache = Stream::empty;

    public OpsMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.evictions = Counter.builder("proxysql.ops.pod.evictions").description("Pods evicted by ops requests").register(registry);
        this.requests = MultiGauge.builder("proxysql.ops.requests")
                .description("ProxySQLOpsRequests in the watched namespaces by type and phase").register(registry);
    }

    /** The controller's cache of requests, which the gauge counts at every scrape. */
    public void track(Supplier<Stream<ProxySQLOpsRequest>> requestCache) {
        this.cache = requestCache;
    }

    /** Adds a series for every (type, phase) pair not seen before; the values are counted live from the cache. */
    public void observed(Collection<ProxySQLOpsRequest> all) {
        boolean added = false;
        for (ProxySQLOpsRequest r : all) {
            added |= seen.add(key(r));
        }
        if (added) {
            requests.register(seen.stream().map(k -> MultiGauge.Row.of(Tags.of("type", k.get(0), "phase", k.get(1)),
                    () -> cache.get().filter(r -> key(r).equals(k)).count())).toList(), true);
        }
    }

    private static List<String> key(ProxySQLOpsRequest r) {
        String type = r.getSpec() == null || r.getSpec().getType() == null ? "" : EnumNames.of(r.getSpec().getType());
        String phase = r.getStatus() == null || r.getStatus().getPhase() == null ? NO_PHASE : EnumNames.of(r.getStatus().getPhase());
        return List.of(type, phase);
    }

    public void evicted() {
        evictions.increment();
    }

    /** A pod was evicted, came back on the target (or, in a rollback, the previous) revision, Ready and checked. */
    public void replaced(String type, boolean rollback, int pods) {
        if (pods > 0) {
            Counter.builder("proxysql.ops.pod.replacements").tag("type", type).tag("rollback", Boolean.toString(rollback))
                    .description("Pods replaced and checked by ops requests").register(registry).increment(pods);
        }
    }

    public void finished(String type, String phase) {
        Counter.builder("proxysql.ops.requests.finished").tag("type", type).tag("phase", phase)
                .description("Ops requests that reached a final phase").register(registry).increment();
    }

    public double evictionCount() {
        return evictions.count();
    }
}
