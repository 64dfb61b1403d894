package dev.proxysql.operator.runtime;

import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static dev.proxysql.operator.opsmanager.OpsFixture.updateVersion;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.opsmanager.OpsFixture;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.OperatorProcess;
import dev.proxysql.operator.testing.OperatorProcess.HttpResult;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packaged operator as Kubernetes runs it: started with flags, Ready within seconds, reconciling, serving
 * {@code /metrics}, {@code /healthz} and {@code /readyz}, logging JSON, and stopping cleanly with status 0 on SIGTERM.
 */
@LocalCluster
class OperatorRuntimeIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous for a 2-core machine shared with other builds; the measured time is printed. */
    private static final Duration STARTUP_BOUND = Duration.ofSeconds(30);

    /** The metric names an operator shows after provisioning a ProxySQL and upgrading it. */
    static final List<String> EXPECTED_METRICS = List.of(
            "operator_sdk_reconciliations_started_total", "operator_sdk_reconciliations_success_total",
            "operator_sdk_controllers_execution_reconcile_seconds_count", "operator_sdk_controllers_execution_reconcile_seconds_bucket",
            "operator_sdk_events_received_total",
            "proxysql_provisioner_reconciles_total", "proxysql_provisioner_writes_total{target=\"children\"}",
            "proxysql_provisioner_writes_total{target=\"status\"}",
            "proxysql_ops_requests{phase=\"Successful\",type=\"UpdateVersion\"} 1.0",
            "proxysql_ops_requests_finished_total{phase=\"Successful\",type=\"UpdateVersion\"} 1.0",
            "proxysql_ops_pod_evictions_total 2.0",
            "proxysql_ops_pod_replacements_total{rollback=\"false\",type=\"UpdateVersion\"} 2.0",
            "proxysql_operator_leader 1.0", "proxysql_operator_build_info{version=",
            "jvm_memory_used_bytes", "process_uptime_seconds");

    @Test
    void startsInSecondsReconcilesServesMetricsAndHealthAndStopsCleanlyOnSigterm(KubernetesClient client, TestNamespace ns,
                                                                                  TestCluster cluster) throws IOException {
        OperatorFixture.installCatalogAndPolicies(client);
        OperatorFixture.createBackend(client, ns.name());
        int metricsPort = OperatorProcess.freePort();
        int healthPort = OperatorProcess.freePort();
        long t0 = System.nanoTime();
        OperatorProcess operator = OperatorProcess.start(cluster, ns.name() + "-runtime", "proxysql-operator-it-runtime", List.of(
                "--no-proxysql-checks", "--webhook-port=0", "--namespaces=" + ns.name(), "--log-format=json",
                "--metrics-port=" + metricsPort, "--health-port=" + healthPort,
                "--leader-election-namespace=" + ns.name(), "--leader-election-identity=runtime-it"));
        try {
            // A standby is Ready too (informers synced): wait for the answer that says this one also took the Lease.
            HttpResult ready = Await.until(STARTUP_BOUND, "/readyz to answer 200 and say that it leads",
                    () -> OperatorProcess.get(healthPort, "/readyz"), r -> r.status() == 200 && r.body().contains("leading"));
            double startup = (System.nanoTime() - t0) / 1e9;
            System.err.printf("[runtime-it] process start to Ready (informers synced, Lease held): %.1f s%n", startup);
            assertThat(ready.body()).contains("informers synced").contains("leading").contains("runtime-it");
            assertThat(OperatorProcess.get(healthPort, "/healthz")).isEqualTo(new HttpResult(200, "ok\n"));
            assertThat(client.leases().withName("proxysql-operator").get().getSpec().getHolderIdentity()).isEqualTo("runtime-it");

            client.resource(OpsFixture.proxysql(ns, "px", 2, null)).create();
            awaitReady(client, "px");
            client.resource(updateVersion(ns, "upgrade", "px", "2.7.3-debian", "2m", 1)).create();
            awaitOps(client, "upgrade", OpsRequestPhase.SUCCESSFUL);

            String metrics = Await.until(Duration.ofSeconds(30), "/metrics to show the finished upgrade",
                    () -> OperatorProcess.get(metricsPort, "/metrics"),
                    r -> r.status() == 200 && r.body().contains("proxysql_ops_requests_finished_total{phase=\"Successful\"")).body();
            assertThat(metrics).contains(EXPECTED_METRICS);
            assertThat(metrics.lines().filter(l -> l.startsWith("operator_sdk_controllers_execution_reconcile_seconds_bucket{"))
                    .count()).as("a dozen buckets per controller (provisioner, ops manager, pause guard), not JOSDK's ~70")
                    .isLessThanOrEqualTo(3 * 13);
            assertThat(metrics).as("no per-resource series").doesNotContain("name=\"px\"");
            assertThat(OperatorProcess.get(healthPort, "/metrics").status()).isEqualTo(404);
        } finally {
            Integer status = operator.terminate(Duration.ofSeconds(30));
            assertThat(status).as("exit status after SIGTERM").isEqualTo(0);
        }
        String log = operator.logText();
        List<JsonNode> lines = jsonLines(operator.log());
        assertThat(lines).as("every log line is one JSON object").hasSize((int) log.lines().count());
        assertThat(lines).allSatisfy(n -> assertThat(n.has("timestamp") && n.has("level") && n.has("logger") && n.has("message")).isTrue());
        assertThat(lines).as("MDC: the resource being reconciled").anySatisfy(n -> {
            assertThat(n.path("resource.namespace").asText()).isEqualTo(ns.name());
            assertThat(n.path("resource.name").asText()).isEqualTo("px");
        });
        assertThat(lines).extracting(n -> n.path("message").asText())
                .anyMatch(m -> m.startsWith("Started in "))
                .contains("Received SIGTERM: shutting down", "Released the Lease " + ns.name() + "/proxysql-operator")
                .anyMatch(m -> m.startsWith("Shut down cleanly in "));
        Lease lease = client.leases().withName("proxysql-operator").get();
        assertThat(lease.getSpec().getHolderIdentity()).as("released for a standby to take at once").isNull();
        assertThat(OperatorProcess.get(healthPort, "/healthz").status()).as("servers closed").isEqualTo(-1);
    }

    @Test
    void badFlagsStopTheJarAtOnceWithAClearMessageAndStatus2(TestCluster cluster, TestNamespace ns) {
        List<List<String>> cases = List.of(List.of("--bogus"), List.of("--namespaces=Not_A_Namespace"),
                List.of("--leader-election-lease-duration=5s"));
        List<String> messages = List.of("Unknown option: '--bogus'", "'Not_A_Namespace' is not a valid namespace name",
                "the lease duration (5s) must be longer than the renew deadline (10s)");
        for (int i = 0; i < cases.size(); i++) {
            OperatorProcess p = OperatorProcess.start(cluster, ns.name() + "-badflags-" + i, null, cases.get(i));
            assertThat(p.waitFor(Duration.ofSeconds(30))).as("exit status of %s", cases.get(i)).isEqualTo(2);
            assertThat(p.logText()).startsWith("proxysql-operator: ").contains(messages.get(i)).contains("Try 'proxysql-operator --help'");
        }
    }

    private static List<JsonNode> jsonLines(Path log) throws IOException {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(log)) {
            nodes.add(JSON.readTree(line));
        }
        return nodes;
    }
}
