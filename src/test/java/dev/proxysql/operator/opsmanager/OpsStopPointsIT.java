package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.opsmanager.step.StopPoints;
import dev.proxysql.operator.opsmanager.step.StepWriter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ApplyOption;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.topology.PauseProtocol;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator stopped at <b>every</b> stop point of every ops type, deterministically: each write the ops manager
 * makes (status, finalizer, pause, template, eviction, the ProxySQL's spec, resume; see {@link StepWriter}) is a
 * point, and for each point "after that write" a run stops the ops manager exactly there for one request, then starts
 * a fresh operator, which must finish the request with the same outcome, the same evictions per pod (each pod taken
 * down once: {@link OpsFixture#disruptiveEvictions}, from the API server's audit log, where a repeated eviction of a
 * pod already terminating does not count) and the ProxySQL resumed, as an uninterrupted run of the same request. The
 * raw eviction requests and the pod creations are reported, not compared: CI once saw one pod of two cases evicted
 * twice, and kwok's controller sometimes deletes a pod just recreated under a name it was deleting (a third creation
 * with one eviction). The message of a mismatch lists the request's per-pod progress and every eviction request of
 * the case, with the time and the answer.
 *
 * <p>First an uninterrupted run of each scenario records its points in order; then the points are swept in batches, one
 * ProxySQL and one request per point, all of a batch at once: operator A stops each request at its point (from then on
 * it writes nothing more for that request, as if the process had died there), A is closed, and operator B, a fresh
 * instance with empty caches and memory, finishes them all. A point is "after" a write: with the status written before
 * each action, "after a status write" and "between an action and its status write" are both such points, and "before a
 * write" is the same state as after the one preceding it.
 */
@LocalCluster
class OpsStopPointsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);
    /**
     * Pods per batch: 33 cases of 2 replicas each, as before the HorizontalScaling scenarios, whose ProxySQLs have up to
     * 4 replicas; a batch of 33 of those (94 pods) did not get Ready within 2 minutes in the shared local cluster.
     */
    private static final int BATCH_PODS = 66;

    /**
     * The paths through the state machine: each ops type forward, and a failure that rolls back. {@code failure} is what
     * a failure on the path says (null: the path has none); a run that fails otherwise (the local cluster leaving a pod
     * terminating too long, say) has left the path, and its point is tried again.
     */
    enum Scenario {
        UPGRADE((ns, name) -> OpsFixture.updateVersion(ns, name, proxysqlOf(name), "2.7.3-debian", "2m", 1), null),
        /**
         * The target never becomes Ready: the pod fails its 15 s step timeout and is rolled back (evicted again). 15 s, not
         * less: with 6 s, on a busy 2-core machine, other steps timed out first (the pause acknowledgement, the StatefulSet
         * controller seeing the template) or the rollback came before the StatefulSet controller had recreated the
         * evicted pod (one eviction instead of two), so runs ended otherwise than the uninterrupted one.
         */
        UPGRADE_ROLLED_BACK((ns, name) -> {
            ProxySQLOpsRequest r = OpsFixture.updateVersion(ns, name, proxysqlOf(name), OpsFixture.BROKEN_VERSION, "15s", 0);
            r.getSpec().setApply(ApplyOption.ALWAYS);
            return r;
        }, "did not become Ready"),
        RESTART((ns, name) -> OpsFixture.restart(ns, name, proxysqlOf(name)), null),
        VERTICAL_SCALING((ns, name) -> OpsFixture.verticalScaling(ns, name, proxysqlOf(name),
                "{\"requests\": {\"cpu\": \"700m\", \"memory\": \"1Gi\"}, \"limits\": {\"memory\": \"1Gi\"}}", "2m"), null),
        /** HorizontalScaling up by two pods (KubeDB's bounds: 3 to 50 members). */
        SCALE_UP((ns, name) -> OpsFixture.horizontalScaling(ns, name, proxysqlOf(name), 4, "2m"), null, 2),
        /** HorizontalScaling down by one pod (the highest-first order of several is MemberPlanTest's and HorizontalScalingOnProxySqlIT's). */
        SCALE_DOWN((ns, name) -> OpsFixture.horizontalScaling(ns, name, proxysqlOf(name), 3, "2m"), null, 4);

        final BiFunction<TestNamespace, String, ProxySQLOpsRequest> request;
        final String failure;
        /** The replicas the scenario's ProxySQL starts with. */
        final int replicas;

        Scenario(BiFunction<TestNamespace, String, ProxySQLOpsRequest> request, String failure) {
            this(request, failure, 2);
        }

        Scenario(BiFunction<TestNamespace, String, ProxySQLOpsRequest> request, String failure, int replicas) {
            this.request = request;
            this.failure = failure;
            this.replicas = replicas;
        }

        boolean onPath(ProxySQLOpsRequest r) {
            String failed = r.getStatus() == null || r.getStatus().getProgress() == null ? null : r.getStatus().getProgress().getFailure();
            return failed == null || failure != null && failed.contains(failure);
        }
    }

    /** One run of a scenario: its ProxySQL {@code <name>} and request {@code <name>-r}, stopped at {@code point} if any. */
    private record Case(Scenario scenario, String name, String point) {
        String request() {
            return name + "-r";
        }
    }

    /**
     * What an uninterrupted run of a scenario ended with. {@code evictionsPerOrdinal}: pod instances taken down per
     * name; {@code evictionRequests} and {@code creations} are reported, not compared (see the class comment).
     */
    private record Outcome(OpsRequestPhase phase, String version, Map<String, Long> evictionsPerOrdinal, Integer replicas, Set<String> pods,
                           Map<String, Long> evictionRequests, Map<String, Long> creations) {
        /** Equal in everything the promise covers. */
        boolean sameAs(Outcome o) {
            return phase == o.phase && java.util.Objects.equals(version, o.version) && evictionsPerOrdinal.equals(o.evictionsPerOrdinal)
                    && java.util.Objects.equals(replicas, o.replicas) && pods.equals(o.pods);
        }
    }

    private static String proxysqlOf(String request) {
        return request.substring(0, request.length() - 2);
    }

    @Test
    void everyStopPointOfEveryOpsTypeEndsAsAnUninterruptedRun(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        OperatorFixture.installCatalogAndPolicies(client);
        OpsFixture.installBrokenVersion(client);
        OperatorFixture.createBackend(client, ns.name());

        // 1. Uninterrupted runs record each scenario's points and outcome.
        Recorder recorder = new Recorder();
        List<Case> clean = new ArrayList<>();
        for (Scenario s : scenarios()) {
            clean.add(new Case(s, "clean-" + s.ordinal(), null));
        }
        run(client, cluster, ns, clean, recorder, false);
        Map<Scenario, Outcome> expected = new LinkedHashMap<>();
        Map<Scenario, List<String>> points = new LinkedHashMap<>();
        for (Case c : clean) {
            expected.put(c.scenario(), outcome(client, cluster, ns, c));
            points.put(c.scenario(), recorder.points(c.request()).stream().filter(p -> p.startsWith("after ")).distinct().toList());
        }
        System.err.printf("[stop-points] uninterrupted runs: %s%n", expected);
        expected.forEach((s, o) -> assertThat(o.phase()).as("the uninterrupted %s", s)
                .isEqualTo(s == Scenario.UPGRADE_ROLLED_BACK ? OpsRequestPhase.FAILED : OpsRequestPhase.SUCCESSFUL));
        points.forEach((s, ps) -> System.err.printf("[stop-points] %s: %d points: %s%n", s, ps.size(), ps));

        // 2. The sweep: one case per point, in batches; a point not reached (timing) is tried once more.
        List<Case> cases = new ArrayList<>();
        points.forEach((s, ps) -> {
            for (int i = 0; i < ps.size(); i++) {
                cases.add(new Case(s, "s" + s.ordinal() + "-" + i, ps.get(i)));
            }
        });
        Set<Case> stopped = ConcurrentHashMap.newKeySet();
        List<String> failures = new ArrayList<>();
        List<Case> pending = cases;
        for (int attempt = 1; attempt <= 2 && !pending.isEmpty(); attempt++) {
            List<Case> notReached = new ArrayList<>();
            for (int from = 0, to; from < pending.size(); from = to) {
                to = batchEnd(pending, from);
                List<Case> batch = pending.subList(from, to);
                if (attempt > 1) {
                    batch = batch.stream().map(c -> new Case(c.scenario(), c.name() + "b", c.point())).toList();
                }
                Stopper stopper = new Stopper(batch);
                run(client, cluster, ns, batch, stopper, true);
                for (Case c : batch) {
                    if (!stopper.stopped(c)) {
                        notReached.add(c);
                        System.err.printf("[stop-points] %s not reached%s; trying again%n", c,
                                stopper.offPath(c) ? " (the run left its path: " + failureOf(client, c) + ")" : "");
                        continue;
                    }
                    stopped.add(c);
                    Outcome got = outcome(client, cluster, ns, c);
                    if (!got.sameAs(expected.get(c.scenario()))) {
                        failures.add(c + ": ended " + got + ", an uninterrupted run ended " + expected.get(c.scenario())
                                + "; its pods' progress: " + podProgress(client, c) + "; eviction requests: " + evictionRequests(cluster, ns, c));
                    }
                }
                // The batch's ProxySQLs go once judged: the local cluster's nodes hold a bounded number of pods, and the
                // HorizontalScaling cases' up to 4 replicas each would otherwise leave later batches' pods unscheduled.
                for (Case c : batch) {
                    client.resources(ProxySQL.class).withName(c.name()).delete();
                }
            }
            pending = notReached;
        }
        System.err.printf("[stop-points] covered %d of %d stop points (%s)%n", stopped.size(), cases.size(),
                points.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().size()).collect(Collectors.joining(", ")));
        assertThat(failures).as("runs stopped at a point that did not end as the uninterrupted run").isEmpty();
        assertThat(pending).as("points never reached in two tries").isEmpty();
        assertThat(stopped).hasSize(cases.size());
    }

    /**
     * The scenarios to sweep: all of them, or those named in {@code -Dstop-points.scenarios=RESTART,SCALE_UP} (a
     * developer's shorter loop; {@code make test} sweeps all).
     */
    private static List<Scenario> scenarios() {
        String only = System.getProperty("stop-points.scenarios", "").trim();
        return only.isEmpty() ? List.of(Scenario.values())
                : java.util.Arrays.stream(only.split(",")).map(String::trim).map(Scenario::valueOf).toList();
    }

    /** Where the batch starting at {@code from} ends: at most {@link #BATCH_PODS} pods at the largest replica count. */
    private static int batchEnd(List<Case> cases, int from) {
        int pods = 0;
        int to = from;
        while (to < cases.size() && (to == from || pods + maxPods(cases.get(to)) <= BATCH_PODS)) {
            pods += maxPods(cases.get(to));
            to++;
        }
        return to;
    }

    private static int maxPods(Case c) {
        return c.scenario() == Scenario.SCALE_UP ? 4 : c.scenario().replicas;
    }

    /**
     * Creates the cases' ProxySQLs, waits until they are Ready, starts operator A with {@code stops}, creates the
     * requests; if {@code restart}, waits until each request is stopped or final, closes A and starts B; then waits for
     * every request to end.
     */
    private static void run(KubernetesClient client, TestCluster cluster, TestNamespace ns, List<Case> cases, StopPoints stops, boolean restart) {
        for (Case c : cases) {
            client.resource(OpsFixture.proxysql(ns, c.name(), c.scenario().replicas, null)).create();
        }
        ProxySQLOperator a = OperatorFixture.startBoth(OperatorFixture.operatorClient(cluster), stops);
        ProxySQLOperator b = null;
        try {
            for (Case c : cases) {
                OpsFixture.awaitReady(client, c.name());
            }
            for (Case c : cases) {
                client.resource(c.scenario().request.apply(ns, c.request())).create();
            }
            if (restart) {
                Stopper stopper = (Stopper) stops;
                for (Case c : cases) {
                    Await.until(TIMEOUT, c.request() + " to reach its stop point '" + c.point() + "' or to end",
                            () -> stopper.stopped(c) || isFinal(client, c.request()));
                }
                a.close();
                a = null;
                b = OperatorFixture.startBoth(OperatorFixture.operatorClient(cluster), StopPoints.NONE);
            }
            for (Case c : cases) {
                Await.until(TIMEOUT, c.request() + " to end with its finalizer released and its ProxySQL resumed",
                        () -> isFinal(client, c.request()) && !PauseProtocol.isPaused(client.resources(ProxySQL.class).withName(c.name()).get()));
            }
        } finally {
            if (a != null) {
                a.close();
            }
            if (b != null) {
                b.close();
            }
        }
    }

    private static String failureOf(KubernetesClient client, Case c) {
        ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).withName(c.request()).get();
        return r == null || r.getStatus() == null || r.getStatus().getProgress() == null ? "?" : r.getStatus().getProgress().getFailure();
    }

    private static boolean isFinal(KubernetesClient client, String request) {
        ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).withName(request).get();
        return r != null && r.getStatus() != null && r.getStatus().getPhase() != null && r.getStatus().getPhase().isFinal()
                && (r.getMetadata().getFinalizers() == null || r.getMetadata().getFinalizers().isEmpty());
    }

    private static Outcome outcome(KubernetesClient client, TestCluster cluster, TestNamespace ns, Case c) {
        ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).withName(c.request()).get();
        Map<String, Long> evictions = byOrdinal(c, OpsFixture.disruptiveEvictions(cluster, ns));
        Map<String, Long> requests = byOrdinal(c, OpsFixture.evictions(cluster, ns));
        Map<String, Long> creations = byOrdinal(c, OpsFixture.podCreations(cluster, ns));
        ProxySQL p = client.resources(ProxySQL.class).withName(c.name()).get();
        // The pods that remain, by ordinal: a HorizontalScaling's outcome (a deleted one may still be terminating).
        Set<String> pods = new java.util.TreeSet<>();
        Await.until(TIMEOUT, "no pod of " + c.name() + " terminating", () -> client.pods().withLabel("app.kubernetes.io/instance", c.name()).list()
                .getItems().stream().noneMatch(pod -> pod.getMetadata().getDeletionTimestamp() != null));
        client.pods().withLabel("app.kubernetes.io/instance", c.name()).list().getItems()
                .forEach(pod -> pods.add(podsByOrdinal(r, pod.getMetadata().getName())));
        return new Outcome(r.getStatus().getPhase(), p.getSpec().getVersion(), evictions, p.getSpec().getReplicas(), pods, requests, creations);
    }

    /** The counts of the case's own pods ({@code <name>-<ordinal>}), keyed {@code pod-<ordinal>}. */
    private static Map<String, Long> byOrdinal(Case c, Map<String, Long> perPod) {
        Map<String, Long> counts = new TreeMap<>();
        perPod.forEach((pod, n) -> {
            if (pod.startsWith(c.name() + "-") && pod.substring(c.name().length() + 1).matches("\\d+")) {
                counts.put("pod-" + pod.substring(c.name().length() + 1), n);
            }
        });
        return counts;
    }

    /** The request's status.progress.pods: state, retries and reason per pod, for a mismatch's message. */
    private static String podProgress(KubernetesClient client, Case c) {
        ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).withName(c.request()).get();
        return r == null || r.getStatus() == null || r.getStatus().getProgress() == null || r.getStatus().getProgress().getPods() == null ? "none"
                : r.getStatus().getProgress().getPods().stream().map(pp -> pp.getName() + "=" + pp.getState() + " retries=" + pp.getRetries()
                + " (" + pp.getReason() + ")").collect(Collectors.joining(", "));
    }

    /** Every eviction request for the case's pods: when, by which client, and the answer. */
    private static String evictionRequests(TestCluster cluster, TestNamespace ns, Case c) {
        return cluster.auditLog().orElseThrow().events(e -> "create".equals(e.verb()) && "eviction".equals(e.subresource())
                        && ns.name().equals(e.namespace()) && e.name() != null && e.name().startsWith(c.name() + "-")).stream()
                .map(e -> e.received() + " " + e.userAgent() + " " + e.name() + " -> " + e.code() + (e.message() == null ? "" : " " + e.message()))
                .collect(Collectors.joining("; "));
    }

    /** The point with the request's pods named by ordinal ({@code pod-1}), the same in every case of a scenario. */
    private static String podsByOrdinal(ProxySQLOpsRequest request, String point) {
        return point.replace(request.getSpec().getProxyRef().getName() + "-", "pod-");
    }

    /** Records every point each request reaches, in order. */
    private static final class Recorder implements StopPoints {
        private final Map<String, List<String>> seen = new ConcurrentHashMap<>();

        @Override
        public void reached(ProxySQLOpsRequest request, String point) {
            seen.computeIfAbsent(request.getMetadata().getName(), k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(podsByOrdinal(request, point));
        }

        List<String> points(String request) {
            return new ArrayList<>(new LinkedHashSet<>(seen.getOrDefault(request, List.of())));
        }
    }

    /** Stops each case's request at the first time it reaches its point, and freezes it from then on. */
    private static final class Stopper implements StopPoints {
        private final Map<String, Case> byRequest;
        private final Set<String> stopped = ConcurrentHashMap.newKeySet();
        /** Requests whose run failed in a way their scenario does not (they are not stopped, and tried again). */
        private final Set<String> offPath = ConcurrentHashMap.newKeySet();

        Stopper(List<Case> cases) {
            this.byRequest = cases.stream().collect(Collectors.toMap(Case::request, c -> c));
        }

        @Override
        public void reached(ProxySQLOpsRequest request, String point) {
            String name = request.getMetadata().getName();
            if (stopped.contains(name)) {
                throw new SimulatedCrash(name + " is stopped");
            }
            Case c = byRequest.get(name);
            if (c == null || offPath.contains(name)) {
                return;
            }
            if (!c.scenario().onPath(request)) {
                offPath.add(name);
                return;
            }
            if (c.point().equals(podsByOrdinal(request, point))) {
                stopped.add(name);
                throw new SimulatedCrash(name + " stopped " + point);
            }
        }

        boolean stopped(Case c) {
            return stopped.contains(c.request());
        }

        boolean offPath(Case c) {
            return offPath.contains(c.request());
        }
    }

    /** Thrown at a stop point: the request's processing ends there, as if the operator had been killed. */
    private static final class SimulatedCrash extends RuntimeException {
        SimulatedCrash(String message) {
            super(message, null, false, false);
        }
    }
}
