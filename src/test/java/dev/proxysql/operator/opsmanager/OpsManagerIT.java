package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.TIMEOUT;
import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static dev.proxysql.operator.opsmanager.OpsFixture.evictions;
import static dev.proxysql.operator.opsmanager.OpsFixture.message;
import static dev.proxysql.operator.opsmanager.OpsFixture.podImages;
import static dev.proxysql.operator.opsmanager.OpsFixture.updateVersion;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersionSpec;
import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ApplyOption;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.topology.PauseProtocol;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

@LocalCluster
class OpsManagerIT {
    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startBoth,
            OpsFixture::installBrokenVersion);


    @Test
    void updateVersionReplacesEveryPodOnceOneAtATime(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 3, "1s")).create();
        awaitReady(client, "px");
        Map<String, String> uidsBefore = uids(client, "px");

        try (var watch = new OpsFixture.AvailabilityWatch(client, "px", 3)) {
            client.resource(updateVersion(ns, "upgrade", "px", "2.7.3-debian", "2m", 1)).create();
            ProxySQLOpsRequest done = awaitOps(client, "upgrade", OpsRequestPhase.SUCCESSFUL);
            assertThat(watch.worstOutOfService()).as("pods out of service at the same moment").isLessThanOrEqualTo(1);
            assertThat(message(done, "Successful")).contains("2.7.3-debian");
            assertThat(message(done, "CheckPodReady--px-1")).contains("ProxySQL-level check skipped")
                    .contains("--proxysql-checks=false");
            assertThat(done.getStatus().getConditions()).extracting(c -> c.getType())
                    .contains("Running", "PauseDatabase", "UpdateStatefulSets", "EvictPod--px-0", "EvictPod--px-1", "EvictPod--px-2",
                            "RestartPods", "UpdateDatabase", "ResumeDatabase", "Successful");
            assertThat(done.getMetadata().getFinalizers()).as("finalizer released").isEmpty();
        }
        ProxySQL px = client.resources(ProxySQL.class).withName("px").get();
        assertThat(px.getSpec().getVersion()).isEqualTo("2.7.3-debian");
        assertNotPaused(client, "px");
        assertThat(podImages(client, "px")).containsOnlyKeys("px-0", "px-1", "px-2")
                .allSatisfy((pod, image) -> assertThat(image).isEqualTo("ghcr.io/kubedb/proxysql:2.7.3-debian"));
        assertThat(uids(client, "px")).allSatisfy((pod, uid) -> assertThat(uid).isNotEqualTo(uidsBefore.get(pod)));
        assertThat(evictions(cluster, ns)).containsExactlyInAnyOrderEntriesOf(Map.of("px-0", 1L, "px-1", 1L, "px-2", 1L));
        awaitReady(client, "px");
        assertThat(eventReasons(client, "upgrade")).contains("Starting", "PauseDatabase", "RestartPod", "ResumeDatabase", "Successful");
    }

    /**
     * One source of the pod template: the target version differs from the current one in more than its image (its
     * catalog entry runs ProxySQL as another user). The pods must be rolled to exactly the template the provisioner
     * renders for the new spec, so that after the resume the provisioner has nothing to change and no pod is left on
     * an older revision. (When the ops manager only swapped the image, the provisioner rewrote the template after the
     * resume: a new revision that no pod ran.)
     */
    @Test
    void theTemplateRolledToIsTheOneTheProvisionerKeepsAfterTheResume(KubernetesClient client, TestNamespace ns) {
        ProxySQLVersion alt = client.resources(ProxySQLVersion.class).withName("2.7.3-debian").get();
        alt.setMetadata(new ObjectMetaBuilder().withName("2.7.3-alt").build());
        // Compares below 2.7.3-debian ("alt" < "debian"), so 2.6.3-debian's update constraints admit it.
        alt.getSpec().setVersion("2.7.3-alt");
        ProxySQLVersionSpec.SecurityContext runAs = new ProxySQLVersionSpec.SecurityContext();
        runAs.setRunAsUser(1001L);
        alt.getSpec().setSecurityContext(runAs);
        alt.getSpec().setDeprecated(false);
        client.resource(alt).fieldManager("test-install").forceConflicts().serverSideApply();
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 2, null)).create();
        awaitReady(client, "px");
        assertThat(runAsUsers(client, "px")).as("before").containsOnly(999L);

        client.resource(updateVersion(ns, "alt", "px", "2.7.3-alt", "2m", 1)).create();
        awaitOps(client, "alt", OpsRequestPhase.SUCCESSFUL);
        // The provisioner has taken the ProxySQL back: it saw the resume and rendered the StatefulSet for the new spec.
        Await.until(OpsFixture.TIMEOUT, "the provisioner to see the resume (ProvisionerPaused gone) and ProxySQL px Ready",
                () -> client.resources(ProxySQL.class).withName("px").get(), p -> !PauseProtocol.isAcknowledged(p)
                        && p.getStatus().getObservedGeneration() != null
                        && p.getStatus().getObservedGeneration() >= p.getMetadata().getGeneration()
                        && p.getStatus().getPhase() == DatabasePhase.READY);
        StatefulSet sts = client.apps().statefulSets().withName("px").get();
        assertThat(sts.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser()).isEqualTo(1001L);
        assertThat(runAsUsers(client, "px")).as("every pod runs the rendered template, as user 1001").containsOnly(1001L);
        assertThat(client.pods().withLabel("app.kubernetes.io/instance", "px").list().getItems())
                .as("no pod left on another revision than the StatefulSet's").hasSize(2)
                .allSatisfy(pod -> assertThat(pod.getMetadata().getLabels().get("controller-revision-hash"))
                        .isEqualTo(sts.getStatus().getUpdateRevision()));
    }

    private static List<Long> runAsUsers(KubernetesClient client, String proxysql) {
        return client.pods().withLabel("app.kubernetes.io/instance", proxysql).list().getItems().stream()
                .map(p -> p.getSpec().getSecurityContext().getRunAsUser()).toList();
    }

    @Test
    void disallowedMissingAndDeprecatedTargetsFailWithoutTouchingAnything(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 2, null)).create();
        awaitReady(client, "px");
        Map<String, String> uidsBefore = uids(client, "px");
        long stsGeneration = client.apps().statefulSets().withName("px").get().getMetadata().getGeneration();

        client.resource(updateVersion(ns, "too-far", "px", "3.0.1-debian", "1m", 1)).create();
        assertThat(message(awaitOps(client, "too-far", OpsRequestPhase.FAILED), "Failed"))
                .contains("spec.updateVersion.targetVersion").contains("allowlist").contains(">= 2.6.3-debian, <= 2.7.3-debian")
                .containsPattern("allowed targets: .*2\\.7\\.3-debian").doesNotContain("3.0.1-debian,").contains("nothing was changed");
        client.resource(updateVersion(ns, "missing", "px", "9.9.9-debian", "1m", 1)).create();
        assertThat(message(awaitOps(client, "missing", OpsRequestPhase.FAILED), "Failed")).contains("\"9.9.9-debian\" does not exist");
        client.resource(updateVersion(ns, "deprecated", "px", "2.3.2", "1m", 1)).create();
        assertThat(message(awaitOps(client, "deprecated", OpsRequestPhase.FAILED), "Failed")).contains("deprecated");
        client.resource(updateVersion(ns, "nowhere", "no-such-proxysql", "2.7.3-debian", "1m", 1)).create();
        assertThat(message(awaitOps(client, "nowhere", OpsRequestPhase.FAILED), "Failed")).contains("spec.proxyRef.name")
                .contains("no-such-proxysql");
        client.resource(updateVersion(ns, "same", "px", "2.6.3-debian", "1m", 1)).create();
        assertThat(message(awaitOps(client, "same", OpsRequestPhase.SUCCESSFUL), "Successful")).contains("already runs 2.6.3-debian");

        assertThat(uids(client, "px")).as("no pod restarted").isEqualTo(uidsBefore);
        assertThat(client.apps().statefulSets().withName("px").get().getMetadata().getGeneration()).isEqualTo(stsGeneration);
        assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getVersion()).isEqualTo("2.6.3-debian");
        assertNotPaused(client, "px");
    }

    @Test
    void requestsOnOneProxySQLRunOneAtATimeInCreationOrder(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 2, "1s")).create();
        awaitReady(client, "px");
        client.resource(OpsFixture.restart(ns, "first", "px")).create();
        client.resource(updateVersion(ns, "second", "px", "2.7.3-debian", "2m", 1)).create();
        ProxySQLOpsRequest waiting = Await.until(TIMEOUT, "request second Pending behind first",
                () -> client.resources(ProxySQLOpsRequest.class).withName("second").get(),
                r -> r.getStatus() != null && r.getStatus().getPhase() == OpsRequestPhase.PENDING);
        assertThat(message(waiting, "Queued")).contains("waiting for ProxySQLOpsRequest first");
        awaitOps(client, "first", OpsRequestPhase.SUCCESSFUL);
        ProxySQLOpsRequest second = awaitOps(client, "second", OpsRequestPhase.SUCCESSFUL);
        ProxySQLOpsRequest first = client.resources(ProxySQLOpsRequest.class).withName("first").get();
        assertThat(Conditions.find(second.getStatus().getConditions(), "Running").orElseThrow().getLastTransitionTime())
                .isGreaterThanOrEqualTo(Conditions.find(first.getStatus().getConditions(), "Successful").orElseThrow().getLastTransitionTime());
        assertNotPaused(client, "px");
    }

    @Test
    void ifReadyWaitsForAReadyProxySQLAndFailsAfterTheTimeout(KubernetesClient client, TestNamespace ns) {
        // No backend: the ProxySQL stays NotReady.
        client.resource(OpsFixture.proxysql(ns, "px", 1, null)).create();
        client.resource(updateVersion(ns, "patient", "px", "2.7.3-debian", "5s", 1)).create();
        ProxySQLOpsRequest failed = awaitOps(client, "patient", OpsRequestPhase.FAILED);
        assertThat(message(failed, "Failed")).contains("was not Ready within").contains("spec.apply: IfReady").contains("NotReady");
        assertNotPaused(client, "px");
    }

    @Test
    void aPodThatNeverBecomesReadyFailsTheRequestAndRollsBack(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 3, null)).create();
        awaitReady(client, "px");
        ProxySQLOpsRequest request = updateVersion(ns, "doomed", "px", OpsFixture.BROKEN_VERSION, "8s", 0);
        request.getSpec().setApply(ApplyOption.ALWAYS);
        client.resource(request).create();

        ProxySQLOpsRequest failed = awaitOps(client, "doomed", OpsRequestPhase.FAILED);
        assertThat(message(failed, "Failed")).contains("step ReplacingPods").contains("pod px-0").contains("did not become Ready")
                .contains("rolled back");
        assertThat(message(failed, "Rollback")).contains("ghcr.io/kubedb/proxysql:2.6.3-debian");
        assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getVersion()).isEqualTo("2.6.3-debian");
        assertThat(client.apps().statefulSets().withName("px").get().getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("ghcr.io/kubedb/proxysql:2.6.3-debian");
        assertThat(podImages(client, "px")).allSatisfy((pod, image) -> assertThat(image).isEqualTo("ghcr.io/kubedb/proxysql:2.6.3-debian"));
        assertNotPaused(client, "px");
        awaitReady(client, "px");
    }

    /**
     * The request's deadline, as the state machine applies it: a request waiting on a pod that never becomes Ready,
     * well inside its step timeout (2m), whose deadline is moved to the past (as if the operator had kept restarting
     * past it: its step clocks would still say it may wait), fails at once, naming the deadline, rolls back and resumes.
     */
    @Test
    void aRequestPastItsDeadlineFailsRollsBackAndResumesWhateverItsStepClocksSay(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 2, null)).create();
        awaitReady(client, "px");
        client.resource(updateVersion(ns, "late", "px", OpsFixture.BROKEN_VERSION, "2m", 0)).create();
        ProxySQLOpsRequest waiting = Await.until(TIMEOUT, "request late waiting in ReplacingPods for a pod on " + OpsFixture.BROKEN_VERSION,
                () -> client.resources(ProxySQLOpsRequest.class).withName("late").get(),
                r -> r.getStatus() != null && r.getStatus().getProgress() != null && r.getStatus().getProgress().getStep() == OpsStep.REPLACING_PODS
                        && r.getStatus().getProgress().getPods().stream().anyMatch(p -> "Evicting".equals(p.getState()) || "Verifying".equals(p.getState())));
        assertThat(waiting.getStatus().getProgress().getTimeBudget()).as("2m x (3 + 2 pods x 1 attempt x 1 wait)").isEqualTo("10m0s");
        assertThat(waiting.getStatus().getProgress().getDeadline()).isNotNull();

        String past = Instant.now().minusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        client.resources(ProxySQLOpsRequest.class).withName("late").subresource("status")
                .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"status\":{\"progress\":{\"deadline\":\"" + past + "\"}}}");

        ProxySQLOpsRequest failed = awaitOps(client, "late", OpsRequestPhase.FAILED);
        assertThat(message(failed, "Failed")).contains("step ReplacingPods: the request did not finish by its deadline " + past)
                .contains("(time budget 10m0s after it left the queue; operator restarts do not move it)").contains("rolled back");
        assertThat(failed.getStatus().getProgress().getDeadline()).as("the rollback got the budget again").isGreaterThan(past);
        assertThat(podImages(client, "px")).allSatisfy((pod, image) -> assertThat(image).isEqualTo("ghcr.io/kubedb/proxysql:2.6.3-debian"));
        assertNotPaused(client, "px");
    }

    @Test
    void aPodDisruptionBudgetThatAllowsNoDisruptionIsRespectedReportedOnceAndFailsAtTheTimeout(KubernetesClient client, TestNamespace ns,
                                                                                             TestCluster cluster) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 2, null)).create();
        awaitReady(client, "px");
        Map<String, String> before = uids(client, "px");
        // The provisioner's budget, tightened by hand (the provisioner leaves a child alone until its own intent
        // changes): a second budget on the same pods would make the Eviction API answer 500, not 429.
        client.policy().v1().podDisruptionBudget().withName("px")
                .edit(pdb -> new PodDisruptionBudgetBuilder(pdb).editSpec().withMaxUnavailable(new IntOrString(0)).endSpec().build());
        Await.until(TIMEOUT, "the PodDisruptionBudget px to allow no disruption", () -> {
            PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().withName("px").get();
            return pdb.getStatus() != null && pdb.getStatus().getObservedGeneration() != null
                    && pdb.getStatus().getObservedGeneration().equals(pdb.getMetadata().getGeneration())
                    && Integer.valueOf(0).equals(pdb.getStatus().getDisruptionsAllowed());
        });
        client.resource(updateVersion(ns, "blocked", "px", "2.7.3-debian", "6s", 1)).create();

        ProxySQLOpsRequest failed = awaitOps(client, "blocked", OpsRequestPhase.FAILED);
        assertThat(message(failed, "Failed")).contains("step ReplacingPods").contains("was not evicted within")
                .contains("kept refusing it");
        assertThat(uids(client, "px")).as("pods (name -> UID): none evicted").isEqualTo(before);
        assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getVersion()).isEqualTo("2.6.3-debian");
        assertThat(podImages(client, "px")).allSatisfy((pod, image) -> assertThat(image).isEqualTo("ghcr.io/kubedb/proxysql:2.6.3-debian"));
        List<String> reasons = eventReasons(client, "blocked");
        assertThat(reasons).as("Events of the request: the refusal reported once, no restart claimed")
                .containsOnlyOnce("EvictionRefused").doesNotContain("RestartPod");
        List<Instant> refusals = cluster.auditLog().orElseThrow().events(e -> "eviction".equals(e.subresource())
                        && ns.name().equals(e.namespace()) && e.code() == 429).stream()
                .map(e -> Instant.parse(e.received())).sorted().toList();
        assertThat(refusals).as("refused evictions (429)").hasSizeGreaterThanOrEqualTo(3);
        for (int i = 2; i < refusals.size(); i++) {
            // The engine asks once per pass: every second, and once more right after the pass that recorded the
            // refusal. The HTTP layer must not repeat a refused eviction on its own (fabric8 does, 100, 200, 400 ms...
            // after a 429, holding the reconciler thread), so no three requests fall within a second.
            assertThat(Duration.between(refusals.get(i - 2), refusals.get(i))).as("time from refused eviction %d to %d of %s", i - 1, i + 1, refusals)
                    .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        }
        assertNotPaused(client, "px");
        awaitReady(client, "px");
    }

    @Test
    void deletingARunningRequestCancelsItAndLeavesOneConsistentVersion(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 3, "3s")).create();
        awaitReady(client, "px");
        client.resource(updateVersion(ns, "changed-my-mind", "px", "2.7.3-debian", "2m", 1)).create();
        Await.until(TIMEOUT, "the first pod to run 2.7.3-debian", () -> podImages(client, "px").containsValue("ghcr.io/kubedb/proxysql:2.7.3-debian"));
        client.resources(ProxySQLOpsRequest.class).withName("changed-my-mind").delete();

        Await.until(TIMEOUT, "the cancelled request to be gone", () -> client.resources(ProxySQLOpsRequest.class).withName("changed-my-mind").get() == null);
        assertThat(podImages(client, "px")).as("rolled back to the version in spec.version")
                .allSatisfy((pod, image) -> assertThat(image).isEqualTo("ghcr.io/kubedb/proxysql:2.6.3-debian"));
        assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getVersion()).isEqualTo("2.6.3-debian");
        assertNotPaused(client, "px");
        awaitReady(client, "px");
    }

    @Test
    void deletingTheProxySQLDuringAnUpgradeFailsTheRequestCleanly(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 2, "3s")).create();
        awaitReady(client, "px");
        client.resource(updateVersion(ns, "orphan", "px", "2.7.3-debian", "2m", 1)).create();
        Await.until(TIMEOUT, "the upgrade to be replacing pods", () -> {
            ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).withName("orphan").get();
            return r.getStatus() != null && r.getStatus().getProgress() != null && r.getStatus().getProgress().getPods() != null
                    && !r.getStatus().getProgress().getPods().isEmpty();
        });
        client.resources(ProxySQL.class).withName("px").delete();
        ProxySQLOpsRequest failed = awaitOps(client, "orphan", OpsRequestPhase.FAILED);
        assertThat(message(failed, "Failed")).contains("ProxySQL px was deleted");
        assertThat(failed.getMetadata().getFinalizers()).isEmpty();
    }

    @Test
    void restartReplacesEveryPodWithoutChangingTheVersion(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 3, "1s")).create();
        awaitReady(client, "px");
        Map<String, String> before = uids(client, "px");
        client.resource(OpsFixture.restart(ns, "restart", "px")).create();
        ProxySQLOpsRequest done = awaitOps(client, "restart", OpsRequestPhase.SUCCESSFUL);
        assertThat(message(done, "Successful")).contains("restarted");
        assertThat(uids(client, "px")).allSatisfy((pod, uid) -> assertThat(uid).isNotEqualTo(before.get(pod)));
        assertThat(evictions(cluster, ns)).containsExactlyInAnyOrderEntriesOf(Map.of("px-0", 1L, "px-1", 1L, "px-2", 1L));
        assertThat(podImages(client, "px")).allSatisfy((pod, image) -> assertThat(image).isEqualTo("ghcr.io/kubedb/proxysql:2.6.3-debian"));
        assertNotPaused(client, "px");
    }

    private static Map<String, String> uids(KubernetesClient client, String proxysql) {
        return client.pods().withLabel("app.kubernetes.io/instance", proxysql).list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
    }

    private static List<String> eventReasons(KubernetesClient client, String request) {
        return client.v1().events().list().getItems().stream()
                .filter(e -> request.equals(e.getInvolvedObject().getName()))
                .map(Event::getReason).toList();
    }

}
