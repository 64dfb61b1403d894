package dev.proxysql.operator.opsmanager.verticalscaling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.ResourceQuantities;
import dev.proxysql.operator.opsmanager.step.Operation.Validation;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.topology.ProxySQLContainer;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Validation and the spec change of VerticalScaling; its pod replacement is the shared engine's, proven in OpsManagerIT. */
class VerticalScalingOperationTest {
    // validate() and the pure helpers read no other object: no client needed.
    private final VerticalScalingOperation op = new VerticalScalingOperation(null);
    private final ProxySQL px = OperatorFixture.proxysql("ns", "px", "2.6.3-debian", 3);

    @Test
    void newResourcesRun() {
        assertThat(op.validate(request("proxysql: {resources: {requests: {cpu: 250m, memory: 512Mi}, limits: {memory: 512Mi}}}"), px).kind())
                .isEqualTo(Validation.Kind.RUN);
        assertThat(op.validate(request("proxysql: {resources: {requests: {cpu: 1, example.com/gpu: 1}, limits: {example.com/gpu: 1}}}"), px)
                .kind()).isEqualTo(Validation.Kind.RUN);
    }

    @Test
    void theResourcesItAlreadyHasRestartNothing() {
        // KubeDB's defaults, spelt differently: 0.5 CPU is 500m.
        Validation v = op.validate(request("proxysql: {resources: {requests: {cpu: '0.5', memory: 1Gi}, limits: {memory: 1Gi}}}"), px);
        assertThat(v.kind()).isEqualTo(Validation.Kind.NOTHING_TO_DO);
        assertThat(v.message()).contains("already has these resources").contains("no pod restarted");
    }

    @Test
    void badInputIsRejectedNamingTheField() {
        assertThat(reject("proxysql: {resources: {requests: {memory: 2Gi}, limits: {memory: 1Gi}}}"))
                .isEqualTo("spec.verticalScaling.proxysql.resources.requests.memory: 2Gi is more than "
                        + "spec.verticalScaling.proxysql.resources.limits.memory (1Gi): the API server would refuse such pods");
        assertThat(reject("proxysql: {resources: {requests: {cpu: two}}}"))
                .isEqualTo("spec.verticalScaling.proxysql.resources.requests.cpu: \"two\" is not a quantity (e.g. 500m, 2, 1Gi)");
        assertThat(reject("proxysql: {resources: {requests: [1]}}"))
                .startsWith("spec.verticalScaling.proxysql.resources.requests: must be a map");
        assertThat(reject("proxysql: {resources: {claims: [{name: gpu}]}}"))
                .startsWith("spec.verticalScaling.proxysql.resources.claims: unknown field");
        assertThat(reject("proxysql: {resources: {requests: {cpu: '-1'}}}"))
                .isEqualTo("spec.verticalScaling.proxysql.resources.requests.cpu: -1 is negative");
        assertThat(reject("proxysql: {resources: {requests: {cpu: '0.3333333333'}}}"))
                .startsWith("spec.verticalScaling.proxysql.resources.requests.cpu: 0.3333333333 is finer than 1n");
        assertThat(reject("proxysql: {resources: {requests: {cpus: 1}}}"))
                .startsWith("spec.verticalScaling.proxysql.resources.requests.cpus: not a resource name");
        assertThat(reject("proxysql: {resources: {requests: {example.com/gpu: 1}}}"))
                .isEqualTo("spec.verticalScaling.proxysql.resources.limits.example.com/gpu: must equal requests.example.com/gpu (1): "
                        + "Kubernetes does not overcommit example.com/gpu");
        assertThat(reject("proxysql: {resources: {requests: {example.com/gpu: 500m}, limits: {example.com/gpu: 500m}}}"))
                .isEqualTo("spec.verticalScaling.proxysql.resources.requests.example.com/gpu: 500m is not a whole number; "
                        + "Kubernetes counts extended resources in whole units");
        assertThat(reject("proxysql: {resources: {requests: {}}}"))
                .startsWith("spec.verticalScaling.proxysql.resources: names no quantity");
        assertThat(reject("proxysql: {resources: {limits: null}}"))
                .startsWith("spec.verticalScaling.proxysql.resources: names no quantity");
        assertThat(reject("proxysql: {resources: {requests: {cpu: two}, limits: {cpu: three}}}")).as("requests are checked first, always")
                .startsWith("spec.verticalScaling.proxysql.resources.requests.cpu");
        assertThat(reject("proxysql: {}")).startsWith("spec.verticalScaling.proxysql.resources: required");
        assertThat(reject("{}")).startsWith("spec.verticalScaling.proxysql.resources: required");
    }

    @Test
    void whatThisOperatorDoesNotDoYetIsRejectedNotIgnored() {
        assertThat(reject("mode: InPlace\nproxysql: {resources: {requests: {cpu: 1}}}"))
                .startsWith("spec.verticalScaling.mode: InPlace is not supported by this operator yet");
        assertThat(reject("proxysql: {nodeSelectionPolicy: LabelSelector, resources: {requests: {cpu: 1}}}"))
                .startsWith("spec.verticalScaling.proxysql.nodeSelectionPolicy: not supported");
        assertThat(reject("proxysql: {topology: {key: zone, value: a}, resources: {requests: {cpu: 1}}}"))
                .startsWith("spec.verticalScaling.proxysql.topology: not supported");
    }

    @Test
    void theProxySQLSpecKeepsTheNewResourcesAndTheRestOfItsPodTemplate() {
        ProxySQL withTemplate = Serialization.unmarshal("""
                apiVersion: kubedb.com/v1
                kind: ProxySQL
                metadata: {name: px, namespace: ns}
                spec:
                  version: 2.6.3-debian
                  backend: {name: mysql}
                  podTemplate:
                    metadata: {annotations: {a: b}}
                    spec:
                      nodeSelector: {disk: ssd}
                      resources: {requests: {cpu: 100m}}
                      containers:
                      - name: proxysql
                        env: [{name: X, value: y}]
                      - name: sidecar
                        image: busybox
                """, ProxySQL.class);
        var target = new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("2")).build();
        VerticalScalingOperation.withResources(withTemplate, target);

        assertThat(ProxySQLContainer.resources(withTemplate)).as("the container's resources win over the legacy top level")
                .isEqualTo(target);
        Map<String, Object> spec = withTemplate.getSpec().getPodTemplate().getSpec();
        assertThat(spec).containsEntry("nodeSelector", Map.of("disk", "ssd"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> containers = (List<Map<String, Object>>) spec.get("containers");
        assertThat(containers).hasSize(2);
        assertThat(containers.get(0)).containsEntry("env", List.of(Map.of("name", "X", "value", "y")));
        assertThat(withTemplate.getSpec().getPodTemplate().getMetadata().getAnnotations()).containsEntry("a", "b");

        VerticalScalingOperation.withResources(px, target);
        assertThat(ProxySQLContainer.resources(px)).as("a ProxySQL without a pod template gets one").isEqualTo(target);
    }

    @Test
    void describesWhatItDid() {
        assertThat(op.successMessage(request("proxysql: {resources: {requests: {cpu: 250m}}}"), px))
                .isEqualTo("Successfully vertically scaled ProxySQL px: proxysql container resources requests cpu=250m");
        assertThat(op.conditionType().value()).isEqualTo("VerticalScale");
    }

    @Test
    void itsTargetIsTheProxySQLWithTheNewResourcesAndLeavesTheOriginalAlone() {
        ProxySQL target = op.target(request("proxysql: {resources: {limits: {memory: 2Gi}}}"), px);
        assertThat(ResourceQuantities.describe(ProxySQLContainer.resources(target))).isEqualTo("limits memory=2Gi");
        assertThat(ProxySQLContainer.resources(px)).as("the ProxySQL read is not changed")
                .isNotEqualTo(ProxySQLContainer.resources(target));
        assertThat(op.changesResources()).isTrue();
    }

    private String reject(String block) {
        Validation v = op.validate(request(block), px);
        assertThat(v.kind()).as(block).isEqualTo(Validation.Kind.REJECT);
        return v.message();
    }

    private static ProxySQLOpsRequest request(String verticalScaling) {
        return Serialization.unmarshal("""
                apiVersion: ops.kubedb.com/v1alpha1
                kind: ProxySQLOpsRequest
                metadata: {name: scale, namespace: ns}
                spec:
                  type: VerticalScaling
                  proxyRef: {name: px}
                  verticalScaling:
                """ + verticalScaling.lines().map(l -> "    " + l + "\n").reduce("", String::concat), ProxySQLOpsRequest.class);
    }
}
