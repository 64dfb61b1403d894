package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.TIMEOUT;
import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static dev.proxysql.operator.opsmanager.OpsFixture.message;
import static dev.proxysql.operator.opsmanager.OpsFixture.podImages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
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
