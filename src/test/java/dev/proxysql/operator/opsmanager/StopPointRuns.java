package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.opsmanager.step.StopPoints;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.runtime.OperatorSettings;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import dev.proxysql.operator.topology.PauseProtocol;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the stop-point tests on real ProxySQL share: an operator reaching pods at their local processes, a recorder
 * of the points a request reaches, a stopper that freezes one request at one point as a killed operator would, and
 * the two runs (record uninterrupted; stop, then finish with a fresh operator).
 */
final class StopPointRuns {
    static final Duration TIMEOUT = Duration.ofMinutes(2);

    private StopPointRuns() {
    }

    static ProxySQLOperator start(TestCluster cluster, StopPoints stops) {
        ProxySQLOperator operator = new ProxySQLOperator(OperatorFixture.operatorClient(cluster), new OperatorSettings(true, true, Set.of(), true),
                new SimpleMeterRegistry(), Optional.empty(), ProxySqlPods.endpoints(), stops);
        operator.start();
        return operator;
    }

    /** An uninterrupted run of {@code request}; returns its points after a write, in order. */
    static List<String> record(KubernetesClient client, TestCluster cluster, ProxySQLOpsRequest request) {
        Recorder recorder = new Recorder();
        ProxySQLOperator operator = start(cluster, recorder);
        try {
            client.resource(request).create();
            awaitFinal(client, request.getMetadata().getName());
        } finally {
            operator.close();
        }
        return recorder.points(request.getMetadata().getName()).stream().filter(p -> p.startsWith("after ")).distinct().toList();
    }

    /** Stops {@code request} at {@code point} with one operator, finishes it with a fresh one; returns its phase. */
    static String stopAndFinish(KubernetesClient client, TestCluster cluster, Supplier<ProxySQLOpsRequest> request, String point) {
        ProxySQLOpsRequest r = request.get();
        String name = r.getMetadata().getName();
        Stopper stopper = new Stopper(name, point);
        ProxySQLOperator a = start(cluster, stopper);
        try {
            client.resource(r).create();
            Await.until(TIMEOUT, name + " to reach its stop point '" + point + "' or to end", () -> stopper.stopped || isFinal(client, name));
        } finally {
            a.close();
        }
        if (!stopper.stopped) {
            return "not stopped at " + point;
        }
        ProxySQLOperator b = start(cluster, StopPoints.NONE);
        try {
            return String.valueOf(awaitFinal(client, name).getStatus().getPhase());
        } finally {
            b.close();
        }
    }

    static ProxySQLOpsRequest awaitFinal(KubernetesClient client, String name) {
        return Await.until(TIMEOUT, name + " to end with its finalizer released and its ProxySQL resumed",
                () -> client.resources(ProxySQLOpsRequest.class).withName(name).get(),
                r -> isFinal(r) && !PauseProtocol.isPaused(client.resources(ProxySQL.class).withName(r.getSpec().getProxyRef().getName()).get()));
    }

    static boolean isFinal(KubernetesClient client, String name) {
        return isFinal(client.resources(ProxySQLOpsRequest.class).withName(name).get());
    }

    static boolean isFinal(ProxySQLOpsRequest r) {
        return r != null && r.getStatus() != null && r.getStatus().getPhase() != null && r.getStatus().getPhase().isFinal()
                && (r.getMetadata().getFinalizers() == null || r.getMetadata().getFinalizers().isEmpty());
    }

    /** Records every point each request reaches, in order. */
    static final class Recorder implements StopPoints {
        private final Map<String, List<String>> seen = new ConcurrentHashMap<>();

        @Override
        public void reached(ProxySQLOpsRequest request, String point) {
            seen.computeIfAbsent(request.getMetadata().getName(), k -> Collections.synchronizedList(new ArrayList<>())).add(point);
        }

        List<String> points(String request) {
            return new ArrayList<>(new LinkedHashSet<>(seen.getOrDefault(request, List.of())));
        }
    }

    /** Stops one request the first time it reaches its point, and freezes it from then on, as a killed operator. */
    static final class Stopper implements StopPoints {
        private final String request;
        private final String point;
        volatile boolean stopped;

        Stopper(String request, String point) {
            this.request = request;
            this.point = point;
        }

        @Override
        public void reached(ProxySQLOpsRequest r, String at) {
            if (!r.getMetadata().getName().equals(request)) {
                return;
            }
            if (stopped || at.equals(point)) {
                stopped = true;
                throw new IllegalStateException("simulated crash: " + request + " stopped " + point);
            }
        }
    }
}
