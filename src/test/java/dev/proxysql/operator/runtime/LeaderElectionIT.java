package dev.proxysql.operator.runtime;

import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static dev.proxysql.operator.opsmanager.OpsFixture.updateVersion;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.opsmanager.OpsFixture;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.OperatorProcess;
import dev.proxysql.operator.testing.cluster.AuditLog;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Two operator processes against one cluster, as two replicas of the Deployment: only the Lease holder acts (the API
 * server's audit log shows every write in the namespace coming from its user agent), and when it dies the other takes
 * the Lease within the lease duration and carries on, finishing an upgrade the first one started.
 */
@LocalCluster
class LeaderElectionIT {
    private static final String LEASE = "proxysql-operator";
    private static final String AGENT_PREFIX = "proxysql-operator-it-";
    /** Shorter than the defaults to keep the test short; long enough for a loaded 2-core machine to renew in time. */
    private static final Duration LEASE_DURATION = Duration.ofSeconds(10);
    private static final Duration RENEW_DEADLINE = Duration.ofSeconds(7);
    private static final Duration RETRY_PERIOD = Duration.ofSeconds(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private static OperatorProcess replica(TestCluster cluster, TestNamespace ns, String name) {
        return OperatorProcess.start(cluster, ns.name() + "-" + name, AGENT_PREFIX + name, List.of(
                "--no-proxysql-checks", "--webhook-port=0", "--namespaces=" + ns.name(),
                "--metrics-port=0", "--health-port=" + OperatorProcess.freePort(),
                "--leader-election-namespace=" + ns.name(), "--leader-election-lease-name=" + LEASE,
                "--leader-election-identity=" + name,
                "--leader-election-lease-duration=" + LeaderElectionSettings.text(LEASE_DURATION),
                "--leader-election-renew-deadline=" + LeaderElectionSettings.text(RENEW_DEADLINE),
                "--leader-election-retry-period=" + LeaderElectionSettings.text(RETRY_PERIOD)));
    }

    private static String holder(KubernetesClient client) {
        Lease lease = client.leases().withName(LEASE).get();
        return lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    }

    private static String awaitHolder(KubernetesClient client, String identity) {
        return Await.until(TIMEOUT, "the Lease to be held by " + identity, () -> holder(client), identity::equals);
    }

    /** Writes by the replicas in the namespace, counted per user agent (without version suffixes). */
    private static Map<String, Long> writesByReplica(TestCluster cluster, TestNamespace ns) {
        AuditLog audit = cluster.auditLog().orElseThrow(() -> new AssertionError("the local cluster runs with an audit log"));
        return audit.inNamespace(ns.name()).stream().filter(e -> e.userAgentStartsWith(AGENT_PREFIX))
                .collect(Collectors.groupingBy(e -> e.userAgent().split("/")[0], Collectors.counting()));
    }

    @Test
    void onlyTheLeaseHolderActsAndAStandbyTakesOverWhenTheLeaderIsKilled(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        OperatorFixture.installCatalogAndPolicies(client);
        OperatorFixture.createBackend(client, ns.name());
        OperatorProcess a = replica(cluster, ns, "replica-a");
        OperatorProcess b = null;
        try {
            awaitHolder(client, "replica-a");
            b = replica(cluster, ns, "replica-b");
            Await.until(TIMEOUT, "replica-b to log that it stands by", b::logText, l -> l.contains("is held by replica-a: standing by"));

            client.resource(OpsFixture.proxysql(ns, "px", 2, "3s")).create();
            awaitReady(client, "px");
            Map<String, Long> writes = writesByReplica(cluster, ns);
            assertThat(writes).as("writes in the namespace per replica while replica-a leads")
                    .containsOnlyKeys(AGENT_PREFIX + "replica-a").allSatisfy((agent, n) -> assertThat(n).isPositive());

            client.resource(updateVersion(ns, "upgrade", "px", "2.7.3-debian", "2m", 1)).create();
            Await.until(TIMEOUT, "the upgrade to be replacing pods", () -> {
                ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).withName("upgrade").get();
                return r != null && r.getStatus() != null && r.getStatus().getProgress() != null
                        && r.getStatus().getProgress().getPods() != null && !r.getStatus().getProgress().getPods().isEmpty();
            });
            assertThat(writesByReplica(cluster, ns)).containsOnlyKeys(AGENT_PREFIX + "replica-a");

            long killed = System.nanoTime();
            a.kill();
            awaitHolder(client, "replica-b");
            Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
            Duration bound = LEASE_DURATION.plus(RETRY_PERIOD.multipliedBy(3)).plusSeconds(2);
            System.err.printf("[leader-election-it] replica-a SIGKILLed; replica-b took the Lease after %.1f s (lease duration %s, bound %s)%n",
                    takeover.toMillis() / 1e3, LeaderElectionSettings.text(LEASE_DURATION), LeaderElectionSettings.text(bound));
            assertThat(takeover).as("takeover after the leader died").isLessThanOrEqualTo(bound);

            ProxySQLOpsRequest done = awaitOps(client, "upgrade", OpsRequestPhase.SUCCESSFUL);
            assertThat(done.getMetadata().getFinalizers()).isEmpty();
            OpsFixture.assertNotPaused(client, "px");
            client.resource(OpsFixture.proxysql(ns, "after", 1, null)).create();
            awaitReady(client, "after");
            assertThat(writesByReplica(cluster, ns)).as("replica-b acted once it held the Lease")
                    .containsOnlyKeys(AGENT_PREFIX + "replica-a", AGENT_PREFIX + "replica-b")
                    .allSatisfy((agent, n) -> assertThat(n).isPositive());
            assertThat(OpsFixture.evictions(cluster, ns)).as("each pod evicted once across both replicas")
                    .containsExactlyInAnyOrderEntriesOf(Map.of("px-0", 1L, "px-1", 1L));
            assertThat(b.terminate(Duration.ofSeconds(30))).isEqualTo(0);
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }

    @Test
    void aLeaderThatLosesTheLeaseExitsAtOnceWithStatus1(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        OperatorProcess a = replica(cluster, ns, "replica-a");
        try {
            awaitHolder(client, "replica-a");
            Await.until(TIMEOUT, "replica-a to lead", a::logText, l -> l.contains("Acquired the Lease"));
            // Another party takes the Lease (as a replica would after a network partition longer than the lease).
            // The leader renews every retry period, so a write based on an older read may conflict (409): read again.
            Await.until(TIMEOUT, "the Lease written with holder 'intruder' (a write not refused as a conflict)", () -> {
                Lease lease = client.leases().withName(LEASE).get();
                lease.getSpec().setHolderIdentity("intruder");
                lease.getSpec().setLeaseDurationSeconds(300);
                lease.getSpec().setRenewTime(ZonedDateTime.now(ZoneOffset.UTC));
                try {
                    client.resource(lease).update();
                    return true;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409) {
                        throw e;
                    }
                    return false;
                }
            }, written -> written);
            long taken = System.nanoTime();
            Integer status = a.waitFor(Duration.ofSeconds(30));
            double seconds = (System.nanoTime() - taken) / 1e9;
            System.err.printf("[leader-election-it] replica-a exited %.1f s after losing the Lease, status %s%n", seconds, status);
            assertThat(status).as("exit status of a leader that lost its Lease").isEqualTo(1);
            assertThat(seconds).as("at its next renewal, within a few retry periods").isLessThan(RETRY_PERIOD.multipliedBy(5).toSeconds());
            assertThat(a.logText()).contains("Lost the Lease " + ns.name() + "/" + LEASE).contains("holder now intruder")
                    .doesNotContain("Shut down cleanly");
            assertThat(holder(client)).as("the loser did not take it back").isEqualTo("intruder");
        } finally {
            a.close();
        }
    }

    @Test
    void aLeaderStoppedWithSigtermHandsTheLeaseOverAtOnce(KubernetesClient client, TestNamespace ns, TestCluster cluster) {
        OperatorProcess a = replica(cluster, ns, "replica-a");
        OperatorProcess b = null;
        try {
            awaitHolder(client, "replica-a");
            b = replica(cluster, ns, "replica-b");
            Await.until(TIMEOUT, "replica-b to stand by", b::logText, l -> l.contains("is held by replica-a: standing by"));
            long stopped = System.nanoTime();
            assertThat(a.terminate(Duration.ofSeconds(30))).isEqualTo(0);
            awaitHolder(client, "replica-b");
            Duration handover = Duration.ofNanos(System.nanoTime() - stopped);
            System.err.printf("[leader-election-it] replica-a stopped by SIGTERM; replica-b took the Lease after %.1f s%n", handover.toMillis() / 1e3);
            assertThat(handover).as("a released Lease is taken at the next retry, not after the lease duration").isLessThan(LEASE_DURATION);
            assertThat(b.terminate(Duration.ofSeconds(30))).isEqualTo(0);
        } finally {
            a.close();
            if (b != null) {
                b.close();
            }
        }
    }
}
