package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static dev.proxysql.operator.opsmanager.OpsFixture.evictions;
import static dev.proxysql.operator.opsmanager.OpsFixture.podCreations;
import static dev.proxysql.operator.opsmanager.OpsFixture.podImages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.ResourceQuantities;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.OperatorProcess;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.AuditLog;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.topology.ProxySQLContainer;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The operator is a separate JVM, SIGKILLed at every step boundary of an upgrade (and of a vertical scaling) and in
 * the middle of waiting for a replaced pod, and started again each time. The request must still finish, with every
 * pod replaced exactly once (pod creations counted in the API server's audit log) and the ProxySQL resumed.
 */
@LocalCluster
class OpsCrashSafetyIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(180);

    @Test
    void anUpgradeSurvivesTheOperatorBeingKilledAtEveryStep(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        List<String> killedAt = runKillingTheOperatorAtEveryStage(client, ns, cluster,
                OpsFixture.updateVersion(ns, "upgrade", "px", "2.7.3-debian", "2m", 1));
        assertReplacedOnce(cluster, ns, killedAt);
        assertThat(podImages(client, "px")).allSatisfy((pod, image) -> assertThat(image).isEqualTo("ghcr.io/kubedb/proxysql:2.7.3-debian"));
        assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getVersion()).isEqualTo("2.7.3-debian");
        assertNotPaused(client, "px");
    }

    @Test
    void aVerticalScalingSurvivesTheOperatorBeingKilledAtEveryStep(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        String resources = "{\"requests\": {\"cpu\": \"1\", \"memory\": \"2Gi\"}, \"limits\": {\"memory\": \"2Gi\"}}";
        List<String> killedAt = runKillingTheOperatorAtEveryStage(client, ns, cluster,
                OpsFixture.verticalScaling(ns, "scale-up", "px", resources, "2m"));
        assertReplacedOnce(cluster, ns, killedAt);
        ResourceRequirements expected = Serialization.unmarshal(resources, ResourceRequirements.class);
        assertThat(client.pods().withLabel("app.kubernetes.io/instance", "px").list().getItems()).hasSize(3).allSatisfy(pod ->
                assertThat(ResourceQuantities.same(pod.getSpec().getContainers().get(0).getResources(), expected))
                        .as(pod.getMetadata().getName()).isTrue());
        assertThat(ResourceQuantities.same(ProxySQLContainer.resources(client.resources(ProxySQL.class).withName("px").get()), expected))
                .as("the ProxySQL's pod template").isTrue();
        assertNotPaused(client, "px");
    }

    /**
     * Every pod replaced exactly once: created twice (the first pod and its one replacement), counted in the audit log,
     * and evicted by the operator. The eviction requests are not required to be exactly one per pod: a request a
     * killed process had already sent can still reach the API server after the next process looked at the pod, and
     * evicting a pod that is already terminating (same UID) is accepted again without a second disruption. On a
     * mismatch the message lists every eviction request with the process that sent it (each has its own user agent).
     */
    private static void assertReplacedOnce(TestCluster cluster, TestNamespace ns, List<String> killedAt) {
        AuditLog audit = cluster.auditLog().orElseThrow();
        String who = audit.events(e -> "create".equals(e.verb()) && "eviction".equals(e.subresource()) && ns.name().equals(e.namespace()))
                .stream().map(e -> e.received() + " " + e.userAgent() + " " + e.name() + " -> " + e.code() + (e.message() == null ? "" : " " + e.message())).collect(Collectors.joining("\n  "));
        System.err.println("[crash-test] eviction requests:\n  " + who);
        assertThat(podCreations(cluster, ns)).as("pods created per name (first + replacements) after %d kills at %s; eviction requests:%n  %s",
                        killedAt.size(), killedAt, who)
                .containsExactlyInAnyOrderEntriesOf(Map.of("px-0", 2L, "px-1", 2L, "px-2", 2L));
        assertThat(evictions(cluster, ns)).as("successful evictions per pod; eviction requests:%n  %s", who)
                .containsOnlyKeys("px-0", "px-1", "px-2");
    }

    /**
     * Creates a 3-replica ProxySQL and {@code request} on it, and SIGKILLs the operator each time the request reaches a
     * new stage (see {@link Stage}), starting it again at once, until the request is Successful. Returns the stages
     * it was killed at.
     */
    private static List<String> runKillingTheOperatorAtEveryStage(KubernetesClient client, TestNamespace ns, TestCluster cluster,
                                                                  ProxySQLOpsRequest request) {
        OperatorFixture.installCatalogAndPolicies(client);
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 3, "3s")).create();
        String name = request.getMetadata().getName();
        List<String> killedAt = new ArrayList<>();
        OperatorProcess operator = start(cluster, ns, 0);
        try {
            awaitReady(client, "px");
            client.resource(request).create();
            int stage = 0;
            while (stage < Stage.FINAL) {
                int seen = stage;
                stage = Await.until(TIMEOUT, name + " to move past stage " + Stage.describe(seen),
                        () -> Stage.of(client.resources(ProxySQLOpsRequest.class).withName(name).get()), s -> s > seen);
                if (stage < Stage.FINAL) {
                    operator.kill();
                    killedAt.add(Stage.describe(stage));
                    System.err.println("[crash-test] operator killed (SIGKILL) at: " + Stage.describe(stage));
                    operator = start(cluster, ns, killedAt.size());
                }
            }
            ProxySQLOpsRequest done = awaitOps(client, name, OpsRequestPhase.SUCCESSFUL);
            assertThat(done.getMetadata().getFinalizers()).isEmpty();
        } finally {
            operator.close();
        }
        // Step boundaries are killed at as the test observes them; waiting for a pod is slow enough to be caught always.
        assertThat(killedAt).as("kill points").hasSizeGreaterThanOrEqualTo(4)
                .anyMatch(s -> s.startsWith("ReplacingPods, waiting for pod"));
        return killedAt;
    }

    /** Operator process number {@code n} of the test, with its own log and user agent (the audit log tells them apart). */
    private static OperatorProcess start(TestCluster cluster, TestNamespace ns, int n) {
        return OperatorProcess.start(cluster, ns.name() + "-" + n, "proxysql-operator-crash-" + n, OperatorProcess.DEFAULT_ARGS);
    }

    /** Ordered stages of an upgrade as the request's status shows them; each is a kill point. */
    static final class Stage {
        static final int PAUSING = 1;
        static final int FINAL = 1000;

        static int of(ProxySQLOpsRequest r) {
            if (r == null || r.getStatus() == null || r.getStatus().getProgress() == null) {
                return 0;
            }
            if (r.getStatus().getPhase() != null && r.getStatus().getPhase().isFinal()) {
                return FINAL;
            }
            OpsProgress p = r.getStatus().getProgress();
            return switch (p.getStep()) {
                case QUEUED -> 0;
                case PAUSING -> PAUSING;
                case UPDATING_STATEFUL_SET -> 2;
                case REPLACING_PODS -> {
                    long done = p.getPods().stream().filter(pp -> "Done".equals(pp.getState())).count();
                    boolean waiting = p.getPods().stream().anyMatch(pp -> "Evicting".equals(pp.getState()) || "Verifying".equals(pp.getState()));
                    yield 10 + 2 * (int) done + (waiting ? 1 : 0);
                }
                case UPDATING_DATABASE -> 100;
                case RESUMING -> 101;
                default -> 0;
            };
        }

        static String describe(int stage) {
            if (stage == PAUSING) {
                return "Pausing";
            }
            if (stage == 2) {
                return "UpdatingStatefulSet";
            }
            if (stage >= 10 && stage < 100) {
                int done = (stage - 10) / 2;
                return (stage % 2 == 1) ? "ReplacingPods, waiting for pod " + (done + 1) + " to come back" : "ReplacingPods, " + done + " pod(s) done";
            }
            return stage == 100 ? "UpdatingDatabase" : stage == 101 ? "Resuming" : stage == FINAL ? "final" : "Queued";
        }

    }
}
