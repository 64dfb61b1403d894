package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static dev.proxysql.operator.opsmanager.OpsFixture.message;
import static dev.proxysql.operator.opsmanager.OpsFixture.podImages;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.runtime.OperatorSettings;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * UpdateVersion with the ProxySQL-level check on, against real ProxySQL: every pod of the local cluster has a real
 * {@code proxysql} process of the version its image names ({@link ProxySqlPods}), started from the config Secret the
 * provisioner wrote, in front of a real MariaDB on which the provisioner created the monitor user. The check on each
 * replaced pod asks that process its version, its cluster peers and its backend; a target whose image runs another
 * ProxySQL than its catalog entry says fails the check, and the request rolls back.
 */
@LocalCluster
class UpdateVersionOnProxySqlIT {
    private static final String OLD = ProxySqlBuilds.oldest();
    private static final String NEW = ProxySqlBuilds.newest();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(OnProxySqlFixture.ADMIN, OnProxySqlFixture.ADMIN_PASSWORD);

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OnProxySqlFixture::checkedOperator,
            UpdateVersionOnProxySqlIT::installLocalVersions);


    @Test
    void everyPodRunsTheNewBuildAndPassesTheCheck(KubernetesClient client, TestNamespace ns) throws Exception {
        try (ProxySqlPods pods = deploy(client, ns, 3)) {
            // Room for the PodDisruptionBudget's 2-minute refusal (hack/control-plane/README.md): with a real proxysql
            // behind every pod the disruption controller can lag behind a pod's replacement and keep its name as
            // "disrupted" until DeletionTimeout; the request must wait it out, not fail, and this test is about the check.
            client.resource(OpsFixture.updateVersion(ns, "upgrade", "px", local(NEW), "4m", 1)).create();

            ProxySQLOpsRequest done = awaitOps(client, "upgrade", OpsRequestPhase.SUCCESSFUL, Duration.ofMinutes(5));
            for (String pod : new String[] {"px-0", "px-1", "px-2"}) {
                assertThat(message(done, "CheckPodReady--" + pod)).contains("runs " + ProxySqlBuilds.reportedVersion(NEW),
                        "lists its 3 cluster peers", "reaches its backend");
                try (AdminSession admin = pods.node(pod).session()) {
                    assertThat(admin.value("SELECT @@version")).isEqualTo(ProxySqlBuilds.reportedVersion(NEW));
                }
            }
            assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getVersion()).isEqualTo(local(NEW));
            assertNotPaused(client, "px");
        }
    }

    @Test
    void aTargetWhoseImageRunsAnotherProxySqlFailsTheCheckAndRollsBack(KubernetesClient client, TestNamespace ns) throws Exception {
        try (ProxySqlPods pods = deploy(client, ns, 1)) {
            client.resource(OpsFixture.updateVersion(ns, "mislabeled", "px", mislabeled(), "1m", 0)).create();

            ProxySQLOpsRequest failed = awaitOps(client, "mislabeled", OpsRequestPhase.FAILED);
            assertThat(message(failed, "Failed")).contains("failed the ProxySQL check")
                    .contains(ProxySqlBuilds.reportedVersion(OLD)).contains("rolled back");
            assertThat(podImages(client, "px")).containsEntry("px-0", image(OLD));
            ProxySqlNode node = Await.until(TIMEOUT, "a process for the rolled-back pod px-0", () -> pods.node("px-0"),
                    n -> n != null && n.answering());
            try (AdminSession admin = node.session()) {
                assertThat(admin.value("SELECT @@version")).isEqualTo(ProxySqlBuilds.reportedVersion(OLD));
            }
            assertNotPaused(client, "px");
        }
    }

    /** A ProxySQL on the old local version in front of the local MariaDB, its pods backed by real processes. */
    private static ProxySqlPods deploy(KubernetesClient client, TestNamespace ns, int replicas) throws Exception {
        return OnProxySqlFixture.deploy(client, ns, MARIADB, PROXYSQL, replicas, replicas,
                Map.of(image(OLD), OLD, image(NEW), NEW, image("mislabeled"), OLD), local(OLD));
    }

    private static void installLocalVersions(KubernetesClient admin) {
        String allowlist = ">= " + local(OLD) + ", <= " + mislabeled();
        OnProxySqlFixture.installVersion(admin, local(OLD), image(OLD), allowlist);
        OnProxySqlFixture.installVersion(admin, local(NEW), image(NEW), allowlist);
        OnProxySqlFixture.installVersion(admin, mislabeled(), image("mislabeled"), allowlist);
    }

    /** The catalog name of a locally built version, e.g. 2.7.1-local. */
    private static String local(String version) {
        return version + "-local";
    }

    /** A catalog entry that says the new version but whose image runs the old one. */
    private static String mislabeled() {
        return NEW + "-mislabeled";
    }

    private static String image(String tag) {
        return "local/proxysql:" + tag;
    }
}
