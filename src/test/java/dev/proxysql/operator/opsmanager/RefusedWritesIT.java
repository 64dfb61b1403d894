package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.TIMEOUT;
import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static dev.proxysql.operator.opsmanager.OpsFixture.message;
import static dev.proxysql.operator.opsmanager.OpsFixture.podImages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsProgress;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.OpsStep;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.AdmissionPolicies;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Writes the API server keeps refusing do not stall a request with its ProxySQL paused: an admission policy denies the
 * ProxySQL's version update for good (after every pod moved), and the request fails at its step timeout, rolls back as far as it can and
 * resumes. Without the bound, the framework gave up after a few retries and the request stayed Progressing, paused.
 */
@LocalCluster
class RefusedWritesIT {
    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startBoth);


    @Test
    void aVersionUpdateDeniedForGoodRollsThePodsBackAndResumes(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 1, "0s")).create();
        awaitReady(client, "px");
        String policy = "frozen-version-" + ns.name();
        // The label lets a dry run show the policy in force: a version edit would meet the CRD's own rule first.
        deny(client, ns, policy, "{apiGroups: [kubedb.com], apiVersions: [v1], operations: [UPDATE], resources: [proxysqls]}",
                "object.spec.version == oldObject.spec.version"
                        + " && !(has(object.metadata.labels) && 'probe' in object.metadata.labels)",
                "versions are frozen in this namespace", () -> client.resources(ProxySQL.class).withName("px").dryRun()
                        .edit(p -> {
                            p.getMetadata().getLabels().put("probe", "1");
                            return p;
                        }));
        try {
            client.resource(OpsFixture.updateVersion(ns, "late", "px", "2.7.3-debian", "8s", 0)).create();

            ProxySQLOpsRequest failed = awaitOps(client, "late", OpsRequestPhase.FAILED);
            assertThat(message(failed, "Failed")).contains("step UpdatingDatabase: the API server refused a write (403)")
                    .contains("versions are frozen in this namespace").contains("rolled back");
            assertNotPaused(client, "px");
            assertThat(podImages(client, "px")).as("the pod moved to 2.7.3 and back")
                    .allSatisfy((pod, image) -> assertThat(image).endsWith(":2.6.3-debian"));
            assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getVersion()).isEqualTo("2.6.3-debian");
        } finally {
            AdmissionPolicies.remove(client, policy);
        }
        awaitReady(client, "px");
    }

    /**
     * The template write refused for good (403: a policy forbids image changes) cannot be fixed by trying again: the
     * request fails at once, touches no pod and resumes; the provisioner, back in charge, has nothing to change.
     */
    @Test
    void aTemplateWriteDeniedForGoodFailsAtOnceWithoutTouchingAPod(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 2, "0s")).create();
        awaitReady(client, "px");
        Map<String, String> uids = client.pods().withLabel("app.kubernetes.io/instance", "px").list().getItems().stream()
                .collect(Collectors.toMap(pod -> pod.getMetadata().getName(), pod -> pod.getMetadata().getUid()));
        String policy = "frozen-images-" + ns.name();
        deny(client, ns, policy, "{apiGroups: [apps], apiVersions: [v1], operations: [UPDATE], resources: [statefulsets]}",
                "object.spec.template.spec.containers.all(c, oldObject.spec.template.spec.containers.exists(o, o.name == c.name && o.image == c.image))",
                "images are frozen in this namespace", () -> client.apps().statefulSets().withName("px").dryRun().edit(sts -> {
                    sts.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("probe:1");
                    return sts;
                }));
        try {
            client.resource(OpsFixture.updateVersion(ns, "frozen", "px", "2.7.3-debian", "2m", 0)).create();

            ProxySQLOpsRequest failed = awaitOps(client, "frozen", OpsRequestPhase.FAILED);
            assertThat(message(failed, "Failed")).contains("step UpdatingStatefulSet: the API server refused the new pod template")
                    .contains("images are frozen in this namespace");
            assertNotPaused(client, "px");
            assertThat(podImages(client, "px")).allSatisfy((pod, image) -> assertThat(image).endsWith(":2.6.3-debian"));
            assertThat(client.pods().withLabel("app.kubernetes.io/instance", "px").list().getItems())
                    .as("no pod was replaced").allSatisfy(pod -> assertThat(pod.getMetadata().getUid()).isEqualTo(uids.get(pod.getMetadata().getName())));
        } finally {
            AdmissionPolicies.remove(client, policy);
        }
        awaitReady(client, "px");
    }

    /**
     * The request's own status refused as invalid (422, as the API server answers a status over its schema's bounds,
     * e.g. more than 64 conditions): nothing more can be recorded, so the request must not wait and retry with its
     * ProxySQL paused. A policy refuses every status in the steps after UpdatingStatefulSet (so the request cannot
     * record its move to ReplacingPods, nor a rollback, nor Resuming); one that ends it (step Done) passes: the
     * ProxySQL is resumed at once and the request ends Failed with why. Before, the failure's own status write was
     * refused too and the request stayed Progressing with its ProxySQL paused.
     */
    @Test
    void aStatusRefusedAsInvalidResumesAndEndsTheRequestFailed(KubernetesClient client, TestNamespace ns) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", 2, "0s")).create();
        awaitReady(client, "px");
        String policy = "stuck-status-" + ns.name();
        AdmissionPolicies.deny(client, ns.name(), policy,
                "{apiGroups: [ops.kubedb.com], apiVersions: ['*'], operations: [UPDATE], resources: [proxysqlopsrequests/status]}",
                "!has(object.status) || !has(object.status.progress) || !has(object.status.progress.step)"
                        + " || !(object.status.progress.step in ['ReplacingPods', 'RollingBackStatefulSet', 'RollingBackPods', 'Resuming'])",
                "no status after UpdatingStatefulSet", "Invalid");
        try {
            // A request on no ProxySQL to probe the policy with: a dry run of a status it refuses, once it is in force.
            client.resource(OpsFixture.restart(ns, "probe", "nobody")).create();
            Await.until(TIMEOUT, "the policy " + policy + " to refuse a status in step ReplacingPods", () -> {
                ProxySQLOpsRequest probe = client.resources(ProxySQLOpsRequest.class).withName("probe").get();
                probe.setStatus(new OpsRequestStatus());
                probe.getStatus().setProgress(new OpsProgress());
                probe.getStatus().getProgress().setStep(OpsStep.REPLACING_PODS);
                try {
                    client.resource(probe).dryRun().updateStatus();
                    return false;
                } catch (KubernetesClientException e) {
                    return e.getCode() == 422 && e.getMessage().contains("no status after UpdatingStatefulSet");
                }
            });
            client.resource(OpsFixture.updateVersion(ns, "refused", "px", "2.7.3-debian", "2m", 0)).create();

            ProxySQLOpsRequest failed = awaitOps(client, "refused", OpsRequestPhase.FAILED);
            assertThat(message(failed, "Failed")).contains("the API server refused the request's status as invalid (422)")
                    .contains("no status after UpdatingStatefulSet").contains("the ProxySQL was resumed without a rollback");
            assertThat(failed.getStatus().getConditions()).extracting(c -> c.getType()).containsExactly("Failed");
            assertNotPaused(client, "px");
        } finally {
            AdmissionPolicies.remove(client, policy);
        }
        // The provisioner, no longer paused, puts the StatefulSet back to the ProxySQL's spec: 2.6.3.
        assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getVersion()).isEqualTo("2.6.3-debian");
        Await.until(TIMEOUT, "every pod of px back on 2.6.3-debian", () -> podImages(client, "px"),
                images -> images.size() == 2 && images.values().stream().allMatch(i -> i.endsWith(":2.6.3-debian")));
        awaitReady(client, "px");
    }

    /** {@link AdmissionPolicies#deny}, returning once {@code probe}, a dry run the policy refuses, is refused. */
    private static void deny(KubernetesClient client, TestNamespace ns, String policy, String rule, String expression, String message,
                             Runnable probe) {
        AdmissionPolicies.deny(client, ns.name(), policy, rule, expression, message);
        Await.until(TIMEOUT, "the policy " + policy + " to be in force", () -> {
            try {
                probe.run();
                return false;
            } catch (KubernetesClientException e) {
                return e.getCode() == 403 && e.getMessage().contains(message);
            }
        });
    }
}
