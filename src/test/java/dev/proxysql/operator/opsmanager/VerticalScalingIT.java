package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.TIMEOUT;
import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static dev.proxysql.operator.opsmanager.OpsFixture.evictions;
import static dev.proxysql.operator.opsmanager.OpsFixture.message;
import static dev.proxysql.operator.opsmanager.OpsFixture.verticalScaling;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.ResourceQuantities;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.AdmissionPolicies;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.topology.PauseProtocol;
import dev.proxysql.operator.topology.ProxySQLContainer;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** VerticalScaling over the shared rolling-replacement engine, on the local control plane. */
@LocalCluster
class VerticalScalingIT {
    /** What the provisioner gives the proxysql container when the ProxySQL names no resources (KubeDB's defaults). */
    private static final ResourceRequirements DEFAULTS = Serialization.unmarshal(
            """
            {"requests": {"cpu": "500m", "memory": "1Gi"}, "limits": {"memory": "1Gi"}}""", ResourceRequirements.class);
    private static final String BIGGER = """
            {"requests": {"cpu": "1", "memory": "2Gi"}, "limits": {"cpu": "2", "memory": "2Gi"}}""";
    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startBoth);


    @Test
    void everyPodGetsTheNewResourcesOneAtATimeAndTheProvisionerKeepsThem(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 3, "1s")).create();
        awaitReady(client, "px");
        assertPodsHave(client, DEFAULTS, "px-0", "px-1", "px-2");
        ResourceRequirements bigger = Serialization.unmarshal(BIGGER, ResourceRequirements.class);

        try (var watch = new OpsFixture.AvailabilityWatch(client, "px", 3)) {
            client.resource(verticalScaling(ns, "scale-up", "px", BIGGER, "2m")).create();
            ProxySQLOpsRequest done = awaitOps(client, "scale-up", OpsRequestPhase.SUCCESSFUL);
            assertThat(watch.worstOutOfService()).as("pods out of service at the same moment").isLessThanOrEqualTo(1);
            assertThat(message(done, "Successful")).contains("vertically scaled ProxySQL px")
                    .contains("requests cpu=1, memory=2Gi; limits cpu=2, memory=2Gi");
            assertThat(done.getStatus().getConditions()).extracting(c -> c.getType())
                    .contains("PauseDatabase", "UpdateStatefulSets", "EvictPod--px-0", "EvictPod--px-1", "EvictPod--px-2",
                            "RestartPods", "UpdateDatabase", "ResumeDatabase", "VerticalScale", "Successful");
            assertThat(message(done, "UpdateStatefulSets")).contains("proxysql resources requests cpu=1, memory=2Gi");
        }
        String revision = client.apps().statefulSets().withName("px").get().getStatus().getUpdateRevision();
        assertThat(evictions(cluster, ns)).containsExactlyInAnyOrderEntriesOf(Map.of("px-0", 1L, "px-1", 1L, "px-2", 1L));
        assertPodsHave(client, bigger, "px-0", "px-1", "px-2");
        assertNotPaused(client, "px");

        // The ProxySQL's spec now names the resources, so the provisioner, reconciling again after the resume, keeps them.
        // The provisioner also records observedGeneration while paused; only a reconcile after the resume drops its
        // ProvisionerPaused condition, and that reconcile applies the children first.
        ProxySQL px = Await.until(TIMEOUT, "the provisioner to have reconciled px unpaused at its latest generation "
                        + "(no ProvisionerPaused condition, status.observedGeneration = generation)",
                () -> client.resources(ProxySQL.class).withName("px").get(),
                p -> p.getStatus() != null && p.getMetadata().getGeneration().equals(p.getStatus().getObservedGeneration())
                        && Conditions.find(p.getStatus().getConditions(), PauseProtocol.PROVISIONER_PAUSED).isEmpty());
        assertThat(ResourceQuantities.same(ProxySQLContainer.resources(px), bigger)).isTrue();
        assertThat(px.getSpec().getVersion()).isEqualTo("2.6.3-debian");
        StatefulSet sts = Await.until(TIMEOUT, "the StatefulSet controller to have observed the StatefulSet's latest generation",
                () -> client.apps().statefulSets().withName("px").get(),
                st -> st.getStatus() != null && st.getMetadata().getGeneration().equals(st.getStatus().getObservedGeneration()));
        assertThat(ResourceQuantities.same(proxysqlContainerResources(sts.getSpec().getTemplate().getSpec().getContainers()), bigger))
                .as("the StatefulSet's template after the provisioner's reconcile").isTrue();
        assertThat(sts.getStatus().getUpdateRevision()).as("no new revision after the resume").isEqualTo(revision);
        awaitReady(client, "px");
    }

    @Test
    void resourcesNoNodeCanOfferFailTheRequestAndRollBack(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 2, null)).create();
        awaitReady(client, "px");
        BigDecimal nodeCpu = client.nodes().list().getItems().stream()
                .map(n -> n.getStatus().getAllocatable().get("cpu").getNumericalAmount()).max(BigDecimal::compareTo).orElseThrow();
        String tooBig = "{\"requests\": {\"cpu\": \"" + nodeCpu.multiply(BigDecimal.TEN).toBigInteger() + "\"}}";

        client.resource(verticalScaling(ns, "too-big", "px", tooBig, "6s")).create();
        ProxySQLOpsRequest failed = awaitOps(client, "too-big", OpsRequestPhase.FAILED);
        assertThat(message(failed, "Failed")).contains("step ReplacingPods, pod px-0").contains("did not become Ready")
                .contains("rolled back: every pod is back on proxysql resources requests cpu=500m, memory=1Gi; limits memory=1Gi")
                .contains("the ProxySQL's spec unchanged");
        assertThat(message(failed, "Rollback")).contains("every pod is back on revision");
        assertPodsHave(client, DEFAULTS, "px-0", "px-1");
        assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getPodTemplate()).as("the ProxySQL's spec untouched")
                .isNull();
        assertNotPaused(client, "px");
        awaitReady(client, "px");
    }

    @Test
    void podsAResourceQuotaRefusesFailTheRequestAndRollBack(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 1, null)).create();
        awaitReady(client, "px");
        client.resource(new ResourceQuotaBuilder().withNewMetadata().withName("cpu").endMetadata()
                .withNewSpec().addToHard("requests.cpu", new Quantity("2")).endSpec().build()).create();
        Await.until(TIMEOUT, "the quota controller to count the namespace's usage (quota admission refuses pods until then)",
                () -> client.resourceQuotas().withName("cpu").get(),
                q -> q.getStatus() != null && q.getStatus().getUsed() != null && q.getStatus().getUsed().containsKey("requests.cpu"));

        // The template is accepted; the StatefulSet controller's pod creation is refused by the quota.
        client.resource(verticalScaling(ns, "over-quota", "px", """
                {"requests": {"cpu": "3", "memory": "1Gi"}, "limits": {"memory": "1Gi"}}""", "10s")).create();
        ProxySQLOpsRequest failed = awaitOps(client, "over-quota", OpsRequestPhase.FAILED);
        assertThat(message(failed, "Failed")).contains("step ReplacingPods, pod px-0: pod px-0 was not recreated within 10s").contains("FailedCreate Events say why")
                .contains("rolled back: every pod is back on proxysql resources requests cpu=500m, memory=1Gi; limits memory=1Gi");
        assertPodsHave(client, DEFAULTS, "px-0");
        assertNotPaused(client, "px");
        awaitReady(client, "px");
    }

    @Test
    void aTemplateAnAdmissionPolicyRefusesFailsTheRequestAndResumes(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 1, null)).create();
        awaitReady(client, "px");
        long generation = client.apps().statefulSets().withName("px").get().getMetadata().getGeneration();
        // A cluster's own rule, as policy engines add them: no GPUs for StatefulSets in this namespace. The request
        // passes the operator's checks; the API server refuses the template (403), which another try cannot fix.
        String policy = "no-gpu-" + ns.name();
        AdmissionPolicies.deny(client, ns.name(), policy,
                "{apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [statefulsets]}",
                "object.spec.template.spec.containers.all(c, !has(c.resources) || !has(c.resources.requests)"
                        + " || !('example.com/gpu' in c.resources.requests))", "no GPUs in this namespace");
        String gpu = """
                {"requests": {"cpu": "1", "example.com/gpu": "1"}, "limits": {"example.com/gpu": "1"}}""";
        try {
            Await.until(TIMEOUT, "the policy to refuse a StatefulSet with a GPU (server-side dry run)", () -> {
                try {
                    client.apps().statefulSets().withName("px").dryRun().edit(sts -> {
                        sts.getSpec().getTemplate().getSpec().getContainers().get(0)
                                .setResources(Serialization.unmarshal(gpu, ResourceRequirements.class));
                        return sts;
                    });
                    return false;
                } catch (KubernetesClientException e) {
                    return e.getCode() == 403 && e.getMessage().contains("no GPUs in this namespace");
                }
            });

            client.resource(verticalScaling(ns, "gpu", "px", gpu, "1m")).create();
            ProxySQLOpsRequest failed = awaitOps(client, "gpu", OpsRequestPhase.FAILED);
            assertThat(message(failed, "Failed")).contains("step UpdatingStatefulSet: the API server refused the new pod template")
                    .contains("no GPUs in this namespace");
            assertThat(client.apps().statefulSets().withName("px").get().getMetadata().getGeneration()).as("template unchanged")
                    .isEqualTo(generation);
            assertPodsHave(client, DEFAULTS, "px-0");
            assertNotPaused(client, "px");
            awaitReady(client, "px");
        } finally {
            AdmissionPolicies.remove(client, policy);
        }
    }

    @Test
    void requestsAboveLimitsFailNamingTheFieldAndTouchNothing(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 1, null)).create();
        awaitReady(client, "px");
        long generation = client.apps().statefulSets().withName("px").get().getMetadata().getGeneration();

        client.resource(verticalScaling(ns, "upside-down", "px", """
                {"requests": {"memory": "4Gi"}, "limits": {"memory": "1Gi"}}""", "1m")).create();
        assertThat(message(awaitOps(client, "upside-down", OpsRequestPhase.FAILED), "Failed"))
                .isEqualTo("spec.verticalScaling.proxysql.resources.requests.memory: 4Gi is more than "
                        + "spec.verticalScaling.proxysql.resources.limits.memory (1Gi): the API server would refuse such pods; nothing was changed");
        assertThat(client.apps().statefulSets().withName("px").get().getMetadata().getGeneration()).isEqualTo(generation);
        assertNotPaused(client, "px");
    }

    /** Exactly these pods of px exist, each with {@code expected} resources (by amount) on its proxysql container. */
    private static void assertPodsHave(KubernetesClient client, ResourceRequirements expected, String... pods) {
        assertThat(podResources(client)).containsOnlyKeys(pods).allSatisfy((pod, r) ->
                assertThat(ResourceQuantities.same(r, expected)).as(pod + ": " + ResourceQuantities.describe(r)).isTrue());
    }

    private static Map<String, ResourceRequirements> podResources(KubernetesClient client) {
        return client.pods().withLabel("app.kubernetes.io/instance", "px").list().getItems().stream()
                .collect(Collectors.toMap(p -> p.getMetadata().getName(), VerticalScalingIT::proxysqlResources, (a, b) -> a, TreeMap::new));
    }

    private static ResourceRequirements proxysqlResources(Pod pod) {
        return proxysqlContainerResources(pod.getSpec().getContainers());
    }

    private static ResourceRequirements proxysqlContainerResources(java.util.List<io.fabric8.kubernetes.api.model.Container> containers) {
        return containers.stream().filter(c -> ProxySQLNames.CONTAINER.equals(c.getName())).findFirst().orElseThrow().getResources();
    }
}
