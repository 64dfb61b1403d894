package dev.proxysql.operator.opsmanager;

import static dev.proxysql.operator.opsmanager.OpsFixture.assertNotPaused;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitOps;
import static dev.proxysql.operator.opsmanager.OpsFixture.awaitReady;
import static dev.proxysql.operator.opsmanager.OpsFixture.message;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.catalog.v1alpha1.ProxySQLVersion;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.ChildApplier;
import dev.proxysql.operator.proxysql.admin.ClusterChecksums;
import dev.proxysql.operator.proxysql.admin.PeerChecksum;
import dev.proxysql.operator.proxysql.admin.ProxySQLAdminClient;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * HorizontalScaling with the ProxySQL-level check on, against real ProxySQL ({@link ProxySqlPods}: a real
 * {@code proxysql} per pod, started from the config Secret as it is when the pod appears, in front of a real MariaDB).
 * After 3 → 5 and 5 → 3 every remaining node lists exactly the members in {@code runtime_proxysql_servers} and on
 * disk, probes no other node, and agrees with its peers on every checksum; a scale-up whose new pod's ProxySQL never
 * starts is rolled back to 3 members with every table restored.
 */
@LocalCluster
class HorizontalScalingOnProxySqlIT {
    private static final String VERSION = ProxySqlBuilds.newest();
    private static final Duration TIMEOUT = Duration.ofMinutes(3);
    private static final String APP_USER = "shop";
    private static final String APP_PASSWORD = "Shop-Pw-0042";

    @RegisterExtension
    static final LocalMariaDb MARIADB = new LocalMariaDb().withAdmin(OnProxySqlFixture.ADMIN, OnProxySqlFixture.ADMIN_PASSWORD)
            .withUser(APP_USER, APP_PASSWORD, "SELECT ON *.*");

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(OnProxySqlFixture::checkedOperator,
            admin -> OnProxySqlFixture.installVersion(admin, local(), image(), null));

    @Test
    void scaleUpToFiveThenDownToThreeKeepsEveryTableEqualToTheMembers(KubernetesClient client, TestNamespace ns) throws Exception {
        try (ProxySqlPods pods = deploy(client, ns, 3, 5)) {
            client.resource(OpsFixture.horizontalScaling(ns, "up", "px", 5, "2m")).create();
            ProxySQLOpsRequest up = awaitOps(client, "up", OpsRequestPhase.SUCCESSFUL, Duration.ofMinutes(5));
            assertThat(message(up, "AddMember--px-4")).contains("joined", "lists the 5 members and agrees with them on every checksum");
            assertThat(message(up, "HorizontalScaleUp")).contains("from 3 to 5");
            assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getReplicas()).isEqualTo(5);
            assertMembers(pods, 5);
            assertNotPaused(client, "px");
            assertProvisionerHasNothingToChange(client);

            client.resource(OpsFixture.horizontalScaling(ns, "down", "px", 3, "2m")).create();
            ProxySQLOpsRequest down = awaitOps(client, "down", OpsRequestPhase.SUCCESSFUL, Duration.ofMinutes(5));
            printConditions(up);
            printConditions(down);
            assertThat(message(down, "RemoveMember--px-3")).contains("every remaining member lists exactly the 3");
            assertThat(client.pods().withLabel("app.kubernetes.io/instance", "px").list().getItems()).hasSize(3);
            assertThreeMembersLeft(client, pods);
        }
    }

    @Test
    void aScaleUpWhoseNewPodNeverStartsIsRolledBackWithEveryTableRestored(KubernetesClient client, TestNamespace ns) throws Exception {
        try (ProxySqlPods pods = deploy(client, ns, 3, 4)) {
            pods.neverStart("px-3");
            client.resource(OpsFixture.horizontalScaling(ns, "up", "px", 4, "20s")).create();
            ProxySQLOpsRequest failed = awaitOps(client, "up", OpsRequestPhase.FAILED, Duration.ofMinutes(3));
            assertThat(message(failed, "Failed")).contains("step ScalingMembers", "px-3", "rolled back: 3 members again");
            Await.until(TIMEOUT, "pod px-3 gone", () -> client.pods().withName("px-3").get(), p -> p == null);
            assertThreeMembersLeft(client, pods);
        }
    }

    /**
     * The leaving pod is drained before it is deleted: once it has left the membership it leaves the client Service
     * (no EndpointSlice of {@code px} lists it any more), then accepts no new client
     * (connections to its port 6033 are refused), while a client already connected is still served; the pod is
     * deleted only after that client left. (Refusing first, as the operator once did, failed new clients the Service
     * still sent to the pod until its readiness probe failed: make e2e counted them. kwok keeps the pod Ready, so
     * there it would stay an endpoint for good.)
     */
    @Test
    void aScaleDownDrainsTheLeavingPodBeforeItIsDeleted(KubernetesClient client, TestNamespace ns) throws Exception {
        try (ProxySqlPods pods = deployFourWithAppUser(client, ns)) {
            ProxySqlNode leaving = pods.node("px-3");
            Await.until(TIMEOUT, "px-3 an endpoint of the client Service px", () -> inClientService(client, "px-3"));
            try (java.sql.Connection app = appConnection(leaving, "px-3")) {
                assertThat(select1(app)).isEqualTo(1);
                client.resource(OpsFixture.horizontalScaling(ns, "down", "px", 3, "2m")).create();
                Await.until(TIMEOUT, "px-3 leaving (dropped from the membership, draining)", () -> state(client, "down", "px-3"),
                        s -> "Leaving".equals(s));
                Await.until(TIMEOUT, "px-3 refusing new clients", () -> !leaving.acceptsClients());
                // kwok keeps the pod Ready (a kubelet would turn it NotReady only after its probe failed 3 times): without
                // leaving the Service first, px-3 is still an endpoint here, refusing the clients the Service sends it.
                assertThat(inClientService(client, "px-3")).as("px-3 refuses clients only once out of the client Service").isFalse();
                assertThat(select1(app)).as("the client already connected is still served").isEqualTo(1);
                assertThat(client.pods().withName("px-3").get()).as("not deleted while a client is connected").isNotNull();
                assertThat(state(client, "down", "px-3")).isEqualTo("Leaving");
            }
            ProxySQLOpsRequest down = awaitOps(client, "down", OpsRequestPhase.SUCCESSFUL, Duration.ofMinutes(3));
            assertThat(message(down, "RemoveMember--px-3")).contains("every remaining member lists exactly the 3");
            assertMembers(pods, 3);
        }
    }

    /** Whether an EndpointSlice of the client Service px lists {@code pod} as ready (where kube-proxy sends clients). */
    private static boolean inClientService(KubernetesClient client, String pod) {
        return client.discovery().v1().endpointSlices().withLabel("kubernetes.io/service-name", "px").list().getItems().stream()
                .filter(s -> s.getEndpoints() != null).flatMap(s -> s.getEndpoints().stream())
                .anyMatch(e -> e.getTargetRef() != null && pod.equals(e.getTargetRef().getName())
                        && (e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady())));
    }

    /**
     * A user cancels a request by deleting it (docs/ops-manager.md, "Failure, cancellation, deletion"). Deleted mid
     * scale-up 3 → 5, once px-3 has joined (every node listed 5 members) and px-4 is joining (its ProxySQL never starts,
     * so the cancel cannot race the request's end): the request rolls back before it goes, px-4 and px-3 are removed
     * again, and the ProxySQL is left consistent: resumed, 3 pods, {@code spec.replicas} and the StatefulSet at 3,
     * every node's tables (runtime and disk) and checksum rows naming exactly the 3 running pods.
     */
    @Test
    void aScaleUpCancelledMidwayByDeletingTheRequestEndsWithTheOriginalMembers(KubernetesClient client, TestNamespace ns) throws Exception {
        try (ProxySqlPods pods = deploy(client, ns, 3, 5)) {
            pods.neverStart("px-4");
            client.resource(OpsFixture.horizontalScaling(ns, "up", "px", 5, "3m")).create();
            Await.until(TIMEOUT, "px-3 joined and px-4 joining", () -> state(client, "up", "px-3") + "/" + state(client, "up", "px-4"),
                    s -> s.equals("Done/Joining"));
            // Joining is saved before the members are told (then px-4 waits for a ProxySQL that never starts).
            Await.until(TIMEOUT, "px-0 told 5 members", () -> {
                try (AdminSession admin = pods.node("px-0").session()) {
                    return admin.rows("SELECT hostname FROM runtime_proxysql_servers").size();
                } catch (java.sql.SQLException e) {
                    return -1;
                }
            }, n -> n == 5);
            java.time.Instant cancelled = java.time.Instant.now();
            client.resources(ProxySQLOpsRequest.class).withName("up").delete();
            Await.until(TIMEOUT, "the cancelled request rolled back and gone", () -> client.resources(ProxySQLOpsRequest.class).withName("up").get(),
                    r -> r == null);
            assertThat(Duration.between(cancelled, java.time.Instant.now())).as("ended by the cancel, not by its 3m timeout")
                    .isLessThan(Duration.ofMinutes(3));
            assertThat(client.v1().events().list().getItems().stream()
                    .filter(e -> "up".equals(e.getInvolvedObject().getName()) && "Failed".equals(e.getReason())).map(e -> e.getMessage()))
                    .as("the request's last word").contains("cancelled: the request was deleted while members were being added or removed; "
                            + "rolled back: 3 members again, each listing exactly them in proxysql_servers, spec.replicas unchanged, ProxySQL resumed");
            Await.until(TIMEOUT, "pods px-3 and px-4 gone", () -> client.pods().withLabel("app.kubernetes.io/instance", "px").list().getItems().size(),
                    n -> n == 3);
            assertThreeMembersLeft(client, pods);
        }
    }

    /**
     * After a scale from or back to 3: {@code spec.replicas} and the StatefulSet at 3, no process for px-3 and px-4,
     * every table naming exactly the 3 members, resumed, and nothing left for the provisioner to change.
     */
    private static void assertThreeMembersLeft(KubernetesClient client, ProxySqlPods pods) throws Exception {
        assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getReplicas()).isEqualTo(3);
        assertThat(client.apps().statefulSets().withName("px").get().getSpec().getReplicas()).isEqualTo(3);
        assertThat(pods.node("px-3")).isNull();
        assertThat(pods.node("px-4")).isNull();
        assertMembers(pods, 3);
        assertNotPaused(client, "px");
        assertProvisionerHasNothingToChange(client);
    }

    /**
     * A scale-down 4 → 3 that fails half-way, for a real reason: px-2 hangs (SIGSTOP) while px-3 is draining, after
     * every remaining member was told 3 members, so px-2 can no longer be asked or told its peers. At the timeout the
     * request rolls back: px-3 is added back (it was only drained: it must accept clients again), every node is told
     * 4 members again once px-2 answers (thawed as soon as the rollback starts), and the request ends Failed with
     * {@code spec.replicas} unchanged and every node's proxysql_servers (runtime and disk) restored.
     */
    @Test
    void aScaleDownThatCannotTellARemainingMemberIsRolledBackWithEveryTableRestored(KubernetesClient client, TestNamespace ns) throws Exception {
        try (ProxySqlPods pods = deployFourWithAppUser(client, ns)) {
            ProxySqlNode leaving = pods.node("px-3");
            ProxySqlNode hung = pods.node("px-2");
            String leavingUid = client.pods().withName("px-3").get().getMetadata().getUid();
            // A client on px-3 keeps it draining (up to the timeout), so px-2 hangs while the request is between its writes.
            try (java.sql.Connection app = appConnection(leaving, "px-3")) {
                assertThat(select1(app)).isEqualTo(1);
                client.resource(OpsFixture.horizontalScaling(ns, "down", "px", 3, "30s")).create();
                Await.until(TIMEOUT, "px-3 draining", () -> state(client, "down", "px-3") + "/" + leaving.acceptsClients(),
                        s -> s.equals("Leaving/false"));
                for (int i = 0; i < 3; i++) {
                    try (AdminSession admin = pods.node("px-" + i).session()) {
                        assertThat(admin.rows("SELECT hostname FROM disk.proxysql_servers")).as("px-%d told 3 members", i).hasSize(3);
                    }
                }
                hung.freeze();
                try {
                    Await.until(Duration.ofMinutes(2), "the scale-down to fail and roll back", () -> step(client, "down"),
                            s -> "RollingBackMembers".equals(s) || "Resuming".equals(s) || "Done".equals(s));
                } finally {
                    hung.thaw();
                }
            }
            ProxySQLOpsRequest failed = awaitOps(client, "down", OpsRequestPhase.FAILED, Duration.ofMinutes(3));
            printConditions(failed);
            assertThat(message(failed, "Failed")).startsWith("step ScalingMembers: cannot ask pod px-2 for its cluster peers")
                    .endsWith("; rolled back: 4 members again, each listing exactly them in proxysql_servers, spec.replicas unchanged, ProxySQL resumed");
            assertThat(client.resources(ProxySQL.class).withName("px").get().getSpec().getReplicas()).isEqualTo(4);
            assertThat(client.apps().statefulSets().withName("px").get().getSpec().getReplicas()).isEqualTo(4);
            assertThat(client.pods().withName("px-3").get().getMetadata().getUid()).as("px-3 kept, not replaced").isEqualTo(leavingUid);
            assertThat(pods.node("px-3")).as("the same process").isSameAs(leaving);
            assertMembers(pods, 4);
            Await.until(TIMEOUT, "px-3 accepting clients again (PROXYSQL RESUME after its drain)", leaving::acceptsClients);
            Await.until(TIMEOUT, "px-3 back among the client Service's endpoints", () -> inClientService(client, "px-3"));
            assertThat(client.pods().withName("px-3").get().getMetadata().getLabels())
                    .containsEntry(dev.proxysql.operator.topology.ClientServiceMembership.LABEL, dev.proxysql.operator.topology.ClientServiceMembership.VALUE);
            assertNotPaused(client, "px");
            assertProvisionerHasNothingToChange(client);
        }
    }

    /** Four pods whose ProxySQL declares the application user (an init Secret's MySQLUsers.cnf). */
    private static ProxySqlPods deployFourWithAppUser(KubernetesClient client, TestNamespace ns) throws Exception {
        client.resource(dev.proxysql.operator.testing.proxysql.TestConfigs.usersSecret(ns.name(), "app-users", APP_USER, APP_PASSWORD)).create();
        return OnProxySqlFixture.deploy(client, ns, MARIADB, PROXYSQL, 4, 4, Map.of(image(), VERSION), local(),
                p -> p.getSpec().setConfigSecret(new dev.proxysql.operator.api.common.LocalObjectReference("app-users")));
    }

    /** A connection of the application user to {@code node}'s port 6033; the caller closes it. */
    private static java.sql.Connection appConnection(ProxySqlNode node, String pod) throws java.sql.SQLException {
        // The admin interface answers first (ProxySqlNode.start), the client listener opens a moment later.
        Await.until(TIMEOUT, pod + " accepting clients", node::acceptsClients);
        java.util.Properties login = new java.util.Properties();
        login.setProperty("user", APP_USER);
        login.setProperty("password", APP_PASSWORD);
        return java.sql.DriverManager.getConnection(node.clientUrl(), login);
    }

    private static String step(KubernetesClient client, String request) {
        ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).withName(request).get();
        return r == null || r.getStatus() == null || r.getStatus().getProgress() == null || r.getStatus().getProgress().getStep() == null
                ? null : dev.proxysql.operator.kube.EnumNames.of(r.getStatus().getProgress().getStep());
    }

    private static int select1(java.sql.Connection c) throws java.sql.SQLException {
        try (var s = c.createStatement(); var rows = s.executeQuery("SELECT 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private static String state(KubernetesClient client, String request, String pod) {
        ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).withName(request).get();
        return r == null || r.getStatus() == null || r.getStatus().getProgress() == null ? null
                : r.getStatus().getProgress().getPods().stream().filter(p -> pod.equals(p.getName())).map(p -> p.getState())
                .findFirst().orElse(null);
    }


    /** The request's conditions in time order, for people reading the test's output (timings are not asserted). */
    private static void printConditions(ProxySQLOpsRequest r) {
        System.out.println("--- " + r.getMetadata().getName() + " conditions ---");
        r.getStatus().getConditions().stream().sorted(java.util.Comparator.comparing(c -> c.getLastTransitionTime()))
                .forEach(c -> System.out.println(c.getLastTransitionTime() + " " + c.getType() + " " + c.getStatus() + " " + c.getMessage()));
    }

    /** Every node 0..members-1 lists exactly the members at runtime and on disk, probes no other, and agrees on checksums. */
    private static void assertMembers(ProxySqlPods pods, int members) throws Exception {
        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < members; i++) {
            expected.add(pods.node("px-" + i).address() + ":6032");
        }
        for (int i = 0; i < members; i++) {
            ProxySqlNode node = pods.node("px-" + i);
            try (AdminSession admin = node.session()) {
                assertThat(hostPorts(admin.rows("SELECT hostname, port FROM runtime_proxysql_servers"))).as("px-%d runtime", i).isEqualTo(expected);
                assertThat(hostPorts(admin.rows("SELECT hostname, port FROM disk.proxysql_servers"))).as("px-%d disk", i).isEqualTo(expected);
            }
            List<PeerChecksum> sums = Await.until(TIMEOUT, "px-" + i + " agreeing with its peers on every checksum",
                    () -> new ProxySQLAdminClient(node.adminEndpoint(), node.adminCredentials()).peerChecksums().value(),
                    rows -> ClusterChecksums.disagreeingModules(rows).isEmpty());
            Set<String> probed = new TreeSet<>();
            sums.forEach(s -> probed.add(s.hostname() + ":" + s.port()));
            assertThat(probed).as("px-%d probes only the members", i).isEqualTo(expected);
        }
    }

    private static Set<String> hostPorts(List<Map<String, String>> rows) {
        Set<String> out = new TreeSet<>();
        rows.forEach(r -> out.add(r.get("hostname") + ":" + r.get("port")));
        return out;
    }

    /** The StatefulSet and the config Secret are the provisioner's rendering of the spec: it finds nothing to change. */
    private static void assertProvisionerHasNothingToChange(KubernetesClient client) {
        var sts = client.apps().statefulSets().withName("px").get();
        var secret = client.secrets().withName("px-configuration").get();
        String stsHash = ChildApplier.annotation(sts);
        String secretHash = ChildApplier.annotation(secret);
        String stsVersion = sts.getMetadata().getResourceVersion();
        String secretVersion = secret.getMetadata().getResourceVersion();
        // Make the provisioner reconcile (a label on the ProxySQL is an event), then let it settle: nothing it owns moves.
        client.resources(ProxySQL.class).withName("px").edit(p -> {
            p.getMetadata().setLabels(new java.util.HashMap<>(p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels()));
            p.getMetadata().getLabels().put("touched", String.valueOf(System.nanoTime()));
            return p;
        });
        awaitReady(client, "px");
        assertThat(client.apps().statefulSets().withName("px").get().getMetadata().getResourceVersion()).isEqualTo(stsVersion);
        assertThat(ChildApplier.annotation(client.apps().statefulSets().withName("px").get())).isEqualTo(stsHash);
        assertThat(client.secrets().withName("px-configuration").get().getMetadata().getResourceVersion()).isEqualTo(secretVersion);
        assertThat(ChildApplier.annotation(client.secrets().withName("px-configuration").get())).isEqualTo(secretHash);
    }

    private static ProxySqlPods deploy(KubernetesClient client, TestNamespace ns, int replicas, int capacity) throws Exception {
        return OnProxySqlFixture.deploy(client, ns, MARIADB, PROXYSQL, replicas, capacity, Map.of(image(), VERSION), local());
    }

    private static String local() {
        return VERSION + "-local";
    }

    private static String image() {
        return "local/proxysql:" + VERSION;
    }
}
