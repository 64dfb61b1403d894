package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.evictions;
import static dev.proxysql.operator.opsmanager.OpsFixture.message;
import static dev.proxysql.operator.opsmanager.OpsFixture.podImages;
import static dev.proxysql.operator.opsmanager.OpsFixture.updateVersion;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A ProxySQL of the most replicas the CRD allows (50) goes through a whole rolling replacement. KubeDB's per-pod
 * conditions ({@code EvictPod--px-1}, {@code CheckPodReady--px-1}) used to grow with the pods: at 64 conditions, the
 * API's bound, every later status write was refused (422), the request sat in Progressing and its ProxySQL stayed
 * paused for good. Now only the most recent pods' conditions are kept, and every pod's record is in the progress.
 */
@LocalCluster
class LargeProxySqlUpdateVersionIT {
    static final int MAX_REPLICAS = 50;
    /** 50 pods one at a time, each evicted, re-created and Ready; sized for a loaded two-core machine. */
    static final Duration LONG = Duration.ofMinutes(8);
    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OperatorFixture::startBoth);

    @Test
    void anUpdateVersionOfFiftyPodsSucceedsAndResumes(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        OperatorFixture.createBackend(client, ns.name());
        client.resource(OpsFixture.proxysql(ns, "px", MAX_REPLICAS, null)).create();
        awaitReady(client, "px");

        try (var watch = new OpsFixture.AvailabilityWatch(client, "px", MAX_REPLICAS)) {
            client.resource(updateVersion(ns, "upgrade", "px", "2.7.3-debian", "2m", 1)).create();
            ProxySQLOpsRequest done = awaitOps(client, "upgrade", OpsRequestPhase.SUCCESSFUL, LONG);
            assertThat(watch.worstOutOfService()).as("pods out of service at the same moment").isLessThanOrEqualTo(1);
            assertThat(message(done, "Successful")).contains("2.7.3-debian");
            OpsRequestStatus s = done.getStatus();
            assertThat(s.getConditions()).hasSizeLessThanOrEqualTo(OpsRequestStatus.MAX_CONDITIONS);
            assertThat(s.getConditions()).extracting(Condition::getType)
                    .contains("Running", "PauseDatabase", "UpdateStatefulSets", "RestartPods", "UpdateDatabase", "ResumeDatabase",
                            "VersionUpdate", "Successful", "EvictPod--px-49", "CheckPodReady--px-49")
                    .as("the first pods' conditions made way for the later ones'").doesNotContain("EvictPod--px-0", "CheckPodReady--px-0");
            assertThat(s.getProgress().getPods()).as("every pod's record, in the progress").hasSize(MAX_REPLICAS)
                    .allSatisfy(p -> assertThat(p.getState()).isEqualTo("Done"))
                    .extracting(PodProgress::getCheck).allSatisfy(check -> assertThat(check).contains("is Ready on revision")
                            .contains("ProxySQL-level check skipped"));
        }
        assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getVersion()).isEqualTo("2.7.3-debian");
        assertNotPaused(client, "px");
        assertThat(podImages(client, "px")).hasSize(MAX_REPLICAS)
                .allSatisfy((pod, image) -> assertThat(image).isEqualTo("ghcr.io/kubedb/proxysql:2.7.3-debian"));
        assertThat(evictions(cluster, ns)).as("each pod evicted once").hasSize(MAX_REPLICAS).allSatisfy((pod, n) -> assertThat(n).isEqualTo(1L))
                .containsKeys(IntStream.range(0, MAX_REPLICAS).mapToObj(i -> "px-" + i).toArray(String[]::new));
        awaitReady(client, "px");
    }

    /** The ProxySQL Ready with all its pods (50 take longer than {@link OpsFixture#TIMEOUT} on a loaded machine). */
    static ProxySQL awaitReady(KubernetesClient client, String name) {
        return Await.until(LONG, "ProxySQL " + name + " Ready",
                () -> client.resources(ProxySQL.class).withName(name).get(),
                p -> p != null && p.getStatus() != null && p.getStatus().getPhase() == DatabasePhase.READY);
    }
}
