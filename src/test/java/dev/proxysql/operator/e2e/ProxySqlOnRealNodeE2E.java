package dev.proxysql.operator.e2e;

import dev.proxysql.operator.testing.proxysql.TestConfigs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import dev.proxysql.operator.kube.Conditions;
import dev.proxysql.operator.kube.OperatorSerialization;
import dev.proxysql.operator.kube.ResourceQuantities;
import dev.proxysql.operator.opsmanager.checks.AdminEndpoints;
import dev.proxysql.operator.proxysql.admin.AdminCredentials;
import dev.proxysql.operator.proxysql.admin.AdminEndpoint;
import dev.proxysql.operator.proxysql.admin.AdminFailureKind;
import dev.proxysql.operator.proxysql.admin.ClusterChecksums;
import dev.proxysql.operator.proxysql.admin.ProxySQLAdminClient;
import dev.proxysql.operator.proxysql.admin.FailureClassifier;
import dev.proxysql.operator.tls.CertificateAuthority;
import dev.proxysql.operator.tls.MySqlTlsProbe;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLHandshakeException;
import dev.proxysql.operator.runtime.OperatorSettings;
import dev.proxysql.operator.runtime.ProxySQLOperator;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.node.RepositoryScripts;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.topology.PauseProtocol;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.jdkhttp.JdkHttpClientFactory;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The operator against real ProxySQL pods on a real node (hack/node/): its own cluster with no kwok nodes, the images
 * of hack/images/ imported into the node's containerd, and the operator in this JVM with both controllers and the
 * ProxySQL-level check on. Scenarios, in order, on one deployment (a later one builds on the state the earlier left):
 *
 * <ol>
 *   <li>a MariaDB pod (Service, root Secret, AppBinding) and a 3-replica ProxySQL on {@value #OLD} become Ready; the
 *       ProxySQL Cluster forms (every pod lists the 3 peers by DNS name, checksums agree); an application user writes
 *       and reads through the {@code px} Service;</li>
 *   <li>UpdateVersion to {@value #EXITS}, whose ProxySQL exits at start: Failed, rolled back, every pod on
 *       {@value #OLD} again and serving (before the upgrade: from {@value #NEW} the catalog allows no other target);</li>
 *   <li>UpdateVersion to {@value #NEW} while clients run through the Service the whole time: Successful, every pod
 *       replaced exactly once, each running the new build; the client figures are printed, not asserted.</li>
 * </ol>
 *
 * <p>Where the operator runs ({@code E2E_OPERATOR}):
 * <ul>
 *   <li>{@code deployment} (the default): installed as a user installs it, {@code kubectl apply -k deploy/install}
 *       (hack/node/install-operator.sh), the Deployment's pod on the real node: its image built from the project's
 *       Dockerfile, its probes, the restricted Pod Security Standard of its namespace, a read-only root filesystem,
 *       the webhooks called by the API server through their Service, leader election. Scenario 3 then also deletes
 *       the operator's pod (the Lease holder) while the UpdateVersion is replacing ProxySQL pods: the Deployment's
 *       next pod takes the Lease and finishes the request, each ProxySQL pod replaced once all the same.</li>
 *   <li>{@code jvm}: the operator in this JVM with both controllers and the checks on, the CRDs generated by the build,
 *       no webhooks. Outside the cluster it cannot resolve cluster names, so its check reaches pods at their pod IP
 *       (the host routes the pod CIDR to the node) while still expecting the peers under their DNS names.</li>
 * </ul>
 * The AppBinding gives the MariaDB Service's ClusterIP in its url (KubeDB writes the Service's name, which only
 * in-cluster resolvers know; the jvm operator connects to the backend to create the monitor user).
 *
 * <p>Not part of {@code make test} (the name matches neither Surefire's nor Failsafe's patterns). Run as root with
 * {@code make e2e} (hack/e2e.sh builds and imports what it needs first). Cluster {@value #CLUSTER} is removed
 * afterwards, also on failure ({@code PROXYSQL_TEST_KEEP_CLUSTER=1} keeps it).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxySqlOnRealNodeE2E {

    static final String CLUSTER = "proxysql-e2e";
    /** {@code E2E_OPERATOR=jvm} runs the operator in this JVM; anything else installs it as its Deployment. */
    static final boolean OPERATOR_IN_JVM = "jvm".equals(System.getenv("E2E_OPERATOR"));
    private static final String OPERATOR_NS = "proxysql-operator-system";
    private static final String OPERATOR_LEASE = "proxysql-operator";
    private static final String NODE = "real-node";
    private static final String NS = "e2e";
    private static final String PX = "px";
    private static final int REPLICAS = 3;
    private static final String OLD = "2.6.5-local";
    private static final String NEW = "2.7.1-local";
    /** Its image's ProxySQL exits at start (hack/e2e.sh builds it from the 2.7.1 image). */
    private static final String EXITS = "2.7.1-exits-local";
    /** As hack/node/workload/mariadb.yaml and proxysql.yaml give them (the Secret, the user's hash). */
    private static final String ROOT_PASSWORD = "Root-Pw-e2e-0042";
    private static final String APP_USER = "shop";
    private static final String APP_PASSWORD = "Shop-Pw-e2e-0042";
    private static final Duration POD_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration OPS_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(2);

    private static RepositoryScripts scripts;
    private static KubernetesClient admin;
    private static KubernetesClient operatorClient;
    private static ProxySQLOperator operator;
    private static String mariadbClusterIp;

    @BeforeAll
    static void startClusterNodeAndOperator() throws Exception {
        // The driver logs every error packet as a warning; the client load counts and groups them itself.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.mariadb.jdbc"))
                .setLevel(ch.qos.logback.classic.Level.ERROR);
        scripts = RepositoryScripts.find();
        Instant start = Instant.now();
        // The cluster's watchdog removes it (and with it the real node) once this JVM has exited, unless it is kept.
        Map<String, String> env = new java.util.HashMap<>(Map.of("CLUSTER_REAL_NODE", "1", "CLUSTER_NODES", "0",
                "CLUSTER_RECREATE", "1"));
        if (!keepCluster()) {
            env.put("CLUSTER_OWNER_PID", Long.toString(ProcessHandle.current().pid()));
        }
        String kubeconfig = RepositoryScripts.lastLine(scripts.run(Duration.ofMinutes(15), env, "hack/control-plane/cluster.sh", "up", CLUSTER));
        scripts.run(Duration.ofMinutes(10), Map.of(), "hack/node/node.sh", "up", CLUSTER);
        scripts.run(Duration.ofMinutes(5), Map.of(), "hack/images/import.sh", "/run/proxysql-operator-node/containerd/containerd.sock",
                "localhost/mariadb:10.11-local", "localhost/proxysql:" + OLD, "localhost/proxysql:" + NEW,
                "localhost/proxysql:" + EXITS);
        log("cluster, node and images ready in %d s", Duration.between(start, Instant.now()).toSeconds());

        Config config = Config.fromKubeconfig(Files.readString(Path.of(kubeconfig)));
        admin = new KubernetesClientBuilder().withConfig(config).withHttpClientFactory(new JdkHttpClientFactory()).build();
        if (OPERATOR_IN_JVM) {
            installCrds();
            for (String manifest : List.of("deploy/policies/do-not-terminate.yaml", "deploy/policies/queued-at.yaml",
                    "deploy/local/proxysql-local-versions.yaml")) {
                apply(scripts.root().resolve(manifest));
            }
        } else {
            Instant install = Instant.now();
            scripts.run(Duration.ofMinutes(6), Map.of(), "hack/node/install-operator.sh", CLUSTER);
            Pod pod = operatorPod(leaderPodName());
            log("operator Deployment ready in %d s: pod %s on %s, image %s", Duration.between(install, Instant.now()).toSeconds(),
                    pod.getMetadata().getName(), pod.getSpec().getNodeName(), pod.getStatus().getContainerStatuses().get(0).getImageID());
            assertThat(pod.getSpec().getNodeName()).isEqualTo(NODE);
            assertThat(pod.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
            assertThat(admin.namespaces().withName(OPERATOR_NS).get().getMetadata().getLabels())
                    .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
        }
        apply(Serialization.unmarshal("""
                apiVersion: catalog.kubedb.com/v1alpha1
                kind: ProxySQLVersion
                metadata: {name: %1$s}
                spec:
                  version: %1$s
                  proxysql: {image: "localhost/proxysql:%1$s"}
                  podSecurityPolicies: {databasePolicyName: proxysql-db}
                  securityContext: {runAsUser: 999}
                  updateConstraints: {allowlist: [">= %1$s, <= %2$s"]}
                """.formatted(EXITS, NEW), GenericKubernetesResource.class));
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build()).create();
        Await.present(Duration.ofSeconds(30), "ServiceAccount default in namespace " + NS,
                () -> admin.serviceAccounts().inNamespace(NS).withName("default").get());

        if (OPERATOR_IN_JVM) {
            operatorClient = new KubernetesClientBuilder()
                    .withConfig(new ConfigBuilder(config).withUserAgent("proxysql-operator-e2e").build())
                    .withHttpClientFactory(new JdkHttpClientFactory())
                    .withKubernetesSerialization(OperatorSerialization.create()).build();
            operator = new ProxySQLOperator(operatorClient, new OperatorSettings(true, true, Set.of(), true),
                    new SimpleMeterRegistry(), Optional.empty(), byPodIp());
            operator.start();
        }
    }

    // ---- the operator as its Deployment ------------------------------------------------------------------------------

    /** The pod named in the Lease's holder identity ({@code <pod>_<random>}, the operator's --leader-election). */
    private static String leaderPodName() {
        Lease lease = Await.until(Duration.ofMinutes(2), "Lease " + OPERATOR_NS + "/" + OPERATOR_LEASE + " to have a holder",
                () -> admin.resources(Lease.class).inNamespace(OPERATOR_NS).withName(OPERATOR_LEASE).get(),
                l -> l != null && l.getSpec().getHolderIdentity() != null && !l.getSpec().getHolderIdentity().isEmpty());
        String holder = lease.getSpec().getHolderIdentity();
        return holder.contains("_") ? holder.substring(0, holder.lastIndexOf('_')) : holder;
    }

    private static Pod operatorPod(String name) {
        return admin.pods().inNamespace(OPERATOR_NS).withName(name).get();
    }

    @AfterAll
    static void stopEverything() {
        if (operator != null) {
            operator.close();
        }
        if (operatorClient != null) {
            operatorClient.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (scripts != null && !keepCluster()) {
            scripts.run(Duration.ofMinutes(3), Map.of(), "hack/control-plane/cluster.sh", "down", CLUSTER);
        } else if (scripts != null) {
            log("cluster kept: export KUBECONFIG=$(hack/control-plane/cluster.sh kubeconfig %s); remove it with"
                    + " hack/control-plane/cluster.sh down %s", CLUSTER, CLUSTER);
        }
    }

    private static boolean keepCluster() {
        return "1".equals(System.getenv("PROXYSQL_TEST_KEEP_CLUSTER"));
    }

    /** On a failure, what the cluster looked like: pods, ops requests, the ProxySQL's status, the last log lines. */
    @RegisterExtension
    static final TestWatcher DIAGNOSE = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (admin == null) {
                return;
            }
            try {
                log("DIAGNOSIS after the failure of %s:", context.getDisplayName());
                for (Pod p : admin.pods().inNamespace(NS).list().getItems()) {
                    log("  pod %s uid %s image %s phase %s ready %s restarts %s ip %s", p.getMetadata().getName(),
                            p.getMetadata().getUid().substring(0, 8), p.getSpec().getContainers().get(0).getImage(),
                            p.getStatus().getPhase(), ready(p), p.getStatus().getContainerStatuses().stream()
                                    .map(c -> String.valueOf(c.getRestartCount())).collect(Collectors.joining(",")),
                            p.getStatus().getPodIP());
                }
                ProxySQL px = admin.resources(ProxySQL.class).inNamespace(NS).withName(PX).get();
                if (px != null && px.getStatus() != null) {
                    log("  ProxySQL %s phase %s conditions %s", PX, px.getStatus().getPhase(), describe(px.getStatus().getConditions()));
                }
                for (ProxySQLOpsRequest r : admin.resources(ProxySQLOpsRequest.class).inNamespace(NS).list().getItems()) {
                    logTimeline(r, null);
                }
                for (Pod p : proxysqlPods()) {
                    String tail = admin.pods().inNamespace(NS).withName(p.getMetadata().getName()).tailingLines(15).getLog();
                    log("  last log lines of %s:%n%s", p.getMetadata().getName(), tail);
                }
                if (!OPERATOR_IN_JVM) {
                    for (Pod p : admin.pods().inNamespace(OPERATOR_NS).list().getItems()) {
                        log("  operator pod %s uid %s phase %s ready %s:%n%s", p.getMetadata().getName(),
                                p.getMetadata().getUid().substring(0, 8), p.getStatus().getPhase(), ready(p),
                                admin.pods().inNamespace(OPERATOR_NS).withName(p.getMetadata().getName()).tailingLines(30).getLog());
                    }
                }
            } catch (RuntimeException e) {
                log("  (diagnosis incomplete: %s)", e);
            }
        }
    };

    // ---- 1. deploy ---------------------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aThreeReplicaProxySqlInFrontOfARealMariaDbFormsItsClusterAndServesAnApplication() throws Exception {
        Instant start = Instant.now();
        deployMariaDb();
        // Secret app-users (the application user by its hash) and ProxySQL px: 3 replicas of OLD on NODE.
        applyWorkload("proxysql.yaml");

        ProxySQL px = Await.until(POD_TIMEOUT, "ProxySQL " + PX + " to be Ready (3 real pods on " + OLD + ")",
                () -> admin.resources(ProxySQL.class).inNamespace(NS).withName(PX).get(),
                p -> p != null && p.getStatus() != null && p.getStatus().getPhase() == DatabasePhase.READY);
        log("MariaDB + ProxySQL %s x%d Ready in %d s", OLD, REPLICAS, Duration.between(start, Instant.now()).toSeconds());
        assertThat(Conditions.isTrue(px.getStatus().getConditions(), "MonitorUserReady"))
                .as("the operator created the monitor user on MariaDB: %s", describe(px.getStatus().getConditions())).isTrue();
        for (Pod pod : proxysqlPods()) {
            assertThat(pod.getSpec().getNodeName()).isEqualTo(NODE);
            assertThat(pod.getStatus().getContainerStatuses().get(0).getContainerID()).startsWith("containerd://");
        }

        Set<String> peers = IntStream.range(0, REPLICAS).mapToObj(i -> PX + "-" + i + "." + PX + "-pods." + NS + ".svc:6032")
                .collect(Collectors.toCollection(TreeSet::new));
        for (int i = 0; i < REPLICAS; i++) {
            String pod = PX + "-" + i;
            Await.until(CHECK_TIMEOUT, pod + " to list its 3 peers by DNS name in runtime_proxysql_servers " + peers,
                    () -> adminRows(pod, "SELECT hostname, port FROM runtime_proxysql_servers").stream()
                            .map(r -> r.get("hostname") + ":" + r.get("port")).collect(Collectors.toCollection(TreeSet::new)),
                    peers::equals);
            assertThat(adminValue(pod, "SELECT @@version")).startsWith(ProxySqlBuilds.reportedVersion("2.6.5"));
        }
        Map<String, Map<String, String>> checksums = Await.until(CHECK_TIMEOUT,
                "the 3 pods to agree on the checksums of mysql_servers, mysql_users, mysql_query_rules, proxysql_servers",
                ProxySqlOnRealNodeE2E::clusterChecksums, c -> c.values().stream().distinct().count() == 1);
        log("cluster checksums (all pods agree): %s", checksums.values().iterator().next());
        // Each peer is also seen by the others as in sync: they fetched its checksums over the admin port by DNS name.
        Await.until(CHECK_TIMEOUT, "every pod to see every peer's proxysql_servers checksum as its own",
                () -> IntStream.range(0, REPLICAS).allMatch(i -> adminRows(PX + "-" + i,
                        "SELECT hostname, checksum FROM stats_proxysql_servers_checksums WHERE name = 'proxysql_servers'").stream()
                        .filter(r -> !"".equals(r.get("checksum")) && !"0x0000000000000000".equals(r.get("checksum")))
                        .map(r -> r.get("checksum")).distinct().count() == 1
                        && adminRows(PX + "-" + i, "SELECT hostname FROM stats_proxysql_servers_checksums WHERE name = 'proxysql_servers'"
                                + " AND checksum NOT IN ('', '0x0000000000000000')").size() == REPLICAS));

        String service = serviceIp(PX);
        // Ready pods are not yet a programmed Service: until kube-proxy has written the Service's rules the node answers
        // "network unreachable" for its ClusterIP (the node's namespace has no other route for the Service CIDR).
        Await.until(CHECK_TIMEOUT, "a client to connect to the " + PX + " Service at " + service + ":6033", () -> {
            try (Connection probe = appConnection(service)) {
                return probe.isValid(2);
            } catch (SQLException e) {
                return false;
            }
        });
        try (Connection app = appConnection(service); Statement sql = app.createStatement()) {
            sql.execute("CREATE TABLE IF NOT EXISTS shop.orders (id INT PRIMARY KEY, item VARCHAR(40))");
            sql.executeUpdate("INSERT INTO shop.orders VALUES (1, 'book'), (2, 'lamp')");
            try (ResultSet rows = sql.executeQuery("SELECT item FROM shop.orders WHERE id = 2")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("lamp");
            }
            try (ResultSet server = sql.executeQuery("SELECT @@hostname")) {
                server.next();
                assertThat(server.getString(1)).as("the query reached the MariaDB pod through ProxySQL").isEqualTo("mariadb");
            }
        }
        try (Connection direct = mariadbRoot(); Statement sql = direct.createStatement();
                ResultSet rows = sql.executeQuery("SELECT COUNT(*) FROM shop.orders")) {
            rows.next();
            assertThat(rows.getInt(1)).as("the rows are on MariaDB").isEqualTo(2);
        }
    }

    // ---- 2. a target that does not start -----------------------------------------------------------------------------

    @Test
    @Order(2)
    void aTargetWhoseProxySqlExitsAtStartFailsAndIsRolledBack() throws Exception {
        Map<String, String> before = podUids();
        assertThat(before).as("the deployment of scenario 1").hasSize(REPLICAS);
        Instant start = Instant.now();
        apply(updateVersion("exits", EXITS, "60s", 0));
        ProxySQLOpsRequest done = awaitOps("exits", OpsRequestPhase.FAILED, OpsRequestPhase.SUCCESSFUL);
        log("UpdateVersion %s -> %s: %s in %d s", OLD, EXITS, done.getStatus().getPhase(),
                Duration.between(start, Instant.now()).toSeconds());
        logTimeline(done, null);
        assertThat(done.getStatus().getPhase()).as("conditions: %s", describe(done.getStatus().getConditions())).isEqualTo(OpsRequestPhase.FAILED);
        assertThat(Conditions.find(done.getStatus().getConditions(), "Failed").map(c -> c.getMessage()).orElse(""))
                .contains("rolled back");

        ProxySQL px = Await.until(POD_TIMEOUT, "ProxySQL " + PX + " Ready again after the rollback",
                () -> admin.resources(ProxySQL.class).inNamespace(NS).withName(PX).get(),
                p -> p.getStatus() != null && p.getStatus().getPhase() == DatabasePhase.READY);
        assertThat(px.getSpec().getVersion()).isEqualTo(OLD);
        for (Pod pod : proxysqlPods()) {
            String name = pod.getMetadata().getName();
            assertThat(pod.getSpec().getContainers().get(0).getImage()).as(name).isEqualTo("localhost/proxysql:" + OLD);
            assertThat(Await.until(CHECK_TIMEOUT, name + " to answer on its admin port after the rollback",
                    () -> adminValue(name, "SELECT @@version"), v -> v != null))
                    .as("%s runs ProxySQL 2.6.5 again", name).isEqualTo(ProxySqlBuilds.reportedVersion("2.6.5"));
        }
        assertThat(podUids().get(PX + "-1")).as("only px-0 was tried: px-1 was never replaced").isEqualTo(before.get(PX + "-1"));
        assertNotPaused();
        try (Connection app = appConnection(serviceIp(PX)); Statement sql = app.createStatement();
                ResultSet rows = sql.executeQuery("SELECT item FROM shop.orders WHERE id = 1")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("book");
        }
    }

    // ---- 3. upgrade under load ---------------------------------------------------------------------------------------

    @Test
    @Order(3)
    void updateVersionUnderClientLoadReplacesEveryPodOnceOntoTheNewBuild() throws Exception {
        Map<String, String> before = podUids();
        assertThat(before).as("the deployment of scenarios 1 and 2").hasSize(REPLICAS);
        try (UidWatch uids = new UidWatch(); ClientLoad load = new ClientLoad(serviceIp(PX), APP_USER, APP_PASSWORD, 4)) {
            load.start();
            load.awaitSuccesses(50, Duration.ofSeconds(60));
            Instant start = Instant.now();
            apply(updateVersion("upgrade", NEW, "5m", 1));
            Optional<OperatorPodDeleted> deleted = OPERATOR_IN_JVM ? Optional.empty() : Optional.of(deleteLeaderOnceAPodIsReplaced(uids));
            ProxySQLOpsRequest done = awaitOps("upgrade", OpsRequestPhase.SUCCESSFUL, OpsRequestPhase.FAILED);
            Duration upgrade = Duration.between(start, Instant.now());
            load.awaitSuccesses(load.successes() + 50, Duration.ofSeconds(60));
            ClientLoad.Figures figures = load.stop();
            log("UpdateVersion %s -> %s: %s in %d s (creation to final phase)", OLD, NEW, done.getStatus().getPhase(),
                    upgrade.toSeconds());
            log("client load during the upgrade: %s", figures);
            figures.printErrors();
            logTimeline(done, uids);

            assertThat(done.getStatus().getPhase()).as("UpdateVersion phase; conditions: %s", describe(done.getStatus().getConditions()))
                    .isEqualTo(OpsRequestPhase.SUCCESSFUL);
            Map<String, String> after = podUids();
            for (String pod : before.keySet()) {
                assertThat(after.get(pod)).as("%s was replaced", pod).isNotEqualTo(before.get(pod));
                assertThat(uids.seen(pod)).as("%s replaced exactly once: the UIDs seen under its name", pod)
                        .containsExactlyInAnyOrder(before.get(pod), after.get(pod));
                assertThat(adminValue(pod, "SELECT @@version")).as("%s runs ProxySQL 2.7.1", pod)
                        .isEqualTo(ProxySqlBuilds.reportedVersion("2.7.1"));
                assertThat(Conditions.find(done.getStatus().getConditions(), "CheckPodReady--" + pod).map(c -> c.getMessage()))
                        .hasValueSatisfying(m -> assertThat(m).contains("lists its 3 cluster peers", "reaches its backend"));
            }
            assertThat(admin.resources(ProxySQL.class).inNamespace(NS).withName(PX).get().getSpec().getVersion()).isEqualTo(NEW);
            assertNotPaused();
            assertThat(figures.ok()).as("queries succeeded during the upgrade").isPositive();
            if (deleted.isPresent()) {
                assertTheNextOperatorPodFinished(deleted.get(), done);
            }
        }
    }

    /** The operator pod that held the Lease when it was deleted, and what it was doing then. */
    private record OperatorPodDeleted(String pod, String uid, String replacedProxySqlPod, OpsRequestPhase phase, Instant at) {
    }

    /**
     * Once one ProxySQL pod has been replaced (a second UID under its name) while the request is still running,
     * deletes the operator's pod that holds the Lease, as {@code kubectl delete pod} does (graceful, SIGTERM).
     */
    private static OperatorPodDeleted deleteLeaderOnceAPodIsReplaced(UidWatch uids) {
        String replaced = Await.until(OPS_TIMEOUT, "a first ProxySQL pod of " + PX + " to be replaced by the UpdateVersion",
                () -> IntStream.range(0, REPLICAS).mapToObj(i -> PX + "-" + i).filter(p -> uids.seen(p).size() > 1).findFirst()
                        .orElse(null), p -> p != null);
        String leader = leaderPodName();
        Pod pod = operatorPod(leader);
        ProxySQLOpsRequest now = admin.resources(ProxySQLOpsRequest.class).inNamespace(NS).withName("upgrade").get();
        OpsRequestPhase phase = now.getStatus() == null ? null : now.getStatus().getPhase();
        assertThat(phase).as("the request must still be running when its operator is deleted (%s was just replaced)", replaced)
                .isNotIn(OpsRequestPhase.SUCCESSFUL, OpsRequestPhase.FAILED);
        admin.pods().inNamespace(OPERATOR_NS).withName(leader).delete();
        log("deleted the operator's pod %s (uid %s, the Lease holder) while the UpdateVersion was %s: %s had just been replaced",
                leader, pod.getMetadata().getUid().substring(0, 8), phase, replaced);
        return new OperatorPodDeleted(leader, pod.getMetadata().getUid(), replaced, phase, Instant.now());
    }

    /**
     * Another pod of the Deployment holds the Lease, took it after the deletion and before the request ended: it
     * finished the request (only the Lease holder reconciles). The deleted pod is gone.
     */
    private static void assertTheNextOperatorPodFinished(OperatorPodDeleted deleted, ProxySQLOpsRequest done) {
        Lease lease = admin.resources(Lease.class).inNamespace(OPERATOR_NS).withName(OPERATOR_LEASE).get();
        String next = leaderPodName();
        Pod nextPod = operatorPod(next);
        Instant acquired = lease.getSpec().getAcquireTime().toInstant();
        Instant finished = Conditions.find(done.getStatus().getConditions(), "Successful")
                .map(c -> Instant.parse(c.getLastTransitionTime())).orElseThrow();
        log("operator pod %s (uid %s) took the Lease at %s (%d transitions); the request was Successful at %s",
                next, nextPod.getMetadata().getUid().substring(0, 8), acquired, lease.getSpec().getLeaseTransitions(), finished);
        assertThat(next).as("the Lease holder after the deletion").isNotEqualTo(deleted.pod());
        assertThat(nextPod.getMetadata().getUid()).isNotEqualTo(deleted.uid());
        assertThat(acquired).as("the next operator pod took the Lease after the deletion (%s)", deleted.at())
                .isAfter(deleted.at().minusSeconds(1));
        assertThat(acquired).as("the next operator pod took the Lease before the request ended").isBefore(finished);
        Await.until(Duration.ofMinutes(1), "the deleted operator pod " + deleted.pod() + " to be gone",
                () -> operatorPod(deleted.pod()), p -> p == null);
    }

    @Test
    @Order(4)
    void restartUnderClientLoadReplacesEveryPodOnceAndKeepsTheVersion() throws Exception {
        ClientLoad.Figures figures = replaceEveryPodOnceUnderLoad("restart", request("restart", "Restart", "restart: {}"));
        for (Pod pod : proxysqlPods()) {
            assertThat(adminValue(pod.getMetadata().getName(), "SELECT @@version")).as("%s still runs ProxySQL 2.7.1", pod.getMetadata().getName())
                    .isEqualTo(ProxySqlBuilds.reportedVersion("2.7.1"));
        }
        assertThat(figures.ok()).as("queries succeeded during the restart").isPositive();
    }

    @Test
    @Order(5)
    void verticalScalingGivesEveryRunningProxySqlTheNewResources() throws Exception {
        String resources = "{\"requests\": {\"cpu\": \"200m\", \"memory\": \"256Mi\"}, \"limits\": {\"memory\": \"512Mi\"}}";
        replaceEveryPodOnceUnderLoad("scale", request("scale", "VerticalScaling", "verticalScaling: {proxysql: {resources: " + resources + "}}"));
        ResourceRequirements expected = Serialization.unmarshal(resources, ResourceRequirements.class);
        for (Pod pod : proxysqlPods()) {
            assertThat(ResourceQuantities.same(pod.getSpec().getContainers().get(0).getResources(), expected))
                    .as("%s has the new resources: %s", pod.getMetadata().getName(), pod.getSpec().getContainers().get(0).getResources()).isTrue();
            assertThat(adminValue(pod.getMetadata().getName(), "SELECT @@version")).as("%s serves under its new limits", pod.getMetadata().getName())
                    .isEqualTo(ProxySqlBuilds.reportedVersion("2.7.1"));
        }
    }

    // ---- 6. HorizontalScaling under load ----------------------------------------------------------------------------

    /**
     * 3 → 5 → 3 while clients run through the Service: 4 on long-lived connections and 2 that connect for every
     * transaction (they meet a pod the Service still routes to but that no longer accepts clients). After each
     * request every running pod lists exactly the members in {@code runtime_proxysql_servers}, the pods agree on every
     * checksum, {@code spec.replicas} and the StatefulSet say the same; the scale-down removes px-3 and px-4 after
     * their drain without a single refused connect through the Service.
     */
    @Test
    @Order(6)
    void horizontalScalingUnderClientLoadKeepsEveryNodesPeersEqualToTheMembers() throws Exception {
        assertThat(podUids()).as("the deployment of the earlier scenarios").hasSize(REPLICAS);
        ClientLoad.Figures up = scaleUnderLoad("scale-up", 5);
        ClientLoad.Figures down = scaleUnderLoad("scale-down", REPLICAS);
        Await.until(POD_TIMEOUT, "pods px-3 and px-4 gone", () -> podUids().keySet(),
                names -> names.equals(Set.of(PX + "-0", PX + "-1", PX + "-2")));
        assertThat(up.ok()).as("transactions during the scale-up").isPositive();
        assertThat(down.ok()).as("transactions during the scale-down").isPositive();
        assertThat(down.failedConnects()).as("connects through the Service refused or failed during the scale-down (the drain): %s",
                down.errors()).isZero();
    }

    private static ClientLoad.Figures scaleUnderLoad(String name, int members) throws Exception {
        try (UidWatch uids = new UidWatch()) {
            UnderLoad run = underLoad(request(name, "HorizontalScaling", "horizontalScaling: {member: " + members + "}"), uids, 6, 2);
            assertMembers(members);
            assertNotPaused();
            return run.figures();
        }
    }

    /** Every running pod is one of the {@code members}, lists exactly them at runtime, and they agree on every checksum. */
    private static void assertMembers(int members) {
        Set<String> names = IntStream.range(0, members).mapToObj(i -> PX + "-" + i).collect(Collectors.toCollection(TreeSet::new));
        Set<String> peers = names.stream().map(n -> n + "." + PX + "-pods." + NS + ".svc:6032").collect(Collectors.toCollection(TreeSet::new));
        assertThat(admin.resources(ProxySQL.class).inNamespace(NS).withName(PX).get().getSpec().getReplicas()).as("spec.replicas")
                .isEqualTo(members);
        assertThat(admin.apps().statefulSets().inNamespace(NS).withName(PX).get().getSpec().getReplicas()).as("StatefulSet replicas")
                .isEqualTo(members);
        Set<String> running = proxysqlPods().stream().filter(p -> p.getMetadata().getDeletionTimestamp() == null)
                .map(p -> p.getMetadata().getName()).collect(Collectors.toCollection(TreeSet::new));
        assertThat(running).as("the running ProxySQL pods").isEqualTo(names);
        for (String pod : names) {
            Set<String> listed = adminRows(pod, "SELECT hostname, port FROM runtime_proxysql_servers").stream()
                    .map(r -> r.get("hostname") + ":" + r.get("port")).collect(Collectors.toCollection(TreeSet::new));
            assertThat(listed).as("%s runtime_proxysql_servers", pod).isEqualTo(peers);
            Await.until(CHECK_TIMEOUT, pod + " to probe exactly the " + members + " members and agree with them on every module",
                    () -> new ProxySQLAdminClient(podAdmin(pod), clusterCredentials()).peerChecksums().value(),
                    rows -> rows.stream().map(r -> r.hostname() + ":" + r.port()).collect(Collectors.toSet()).equals(peers)
                            && ClusterChecksums.disagreeingModules(rows).isEmpty());
        }
        Map<String, Map<String, String>> checksums = Await.until(CHECK_TIMEOUT, "the " + members + " pods to agree on their checksums",
                () -> clusterChecksums(members), c -> c.values().stream().distinct().count() == 1);
        log("%d members, each listing exactly them; checksums agree: %s", members, checksums.values().iterator().next());
    }

    // ---- 7. RotateAuth under load ------------------------------------------------------------------------------------

    /**
     * RotateAuth with a generated password while clients run: every pod takes the new pair and refuses the old one on
     * its admin interface, none restarted, no {@code .prev} key left, the ProxySQL Cluster still syncs (a rule loaded
     * on px-0 reaches the others, checksums agree). That the operator itself reaches every pod with the new pair is
     * shown by the next scenario, whose checks log in on every replaced pod and reload TLS on each.
     */
    @Test
    @Order(7)
    void rotateAuthUnderClientLoadMovesEveryNodeToTheNewPairWithoutARestart() throws Exception {
        Map<String, String> before = podUids();
        assertThat(before).as("the deployment of the earlier scenarios").hasSize(REPLICAS);
        AdminCredentials old = clusterCredentials();
        try (UidWatch uids = new UidWatch()) {
            underLoad(request("rotate-auth", "RotateAuth", ""), uids, 4, 0);
            AdminCredentials rotated = clusterCredentials();
            assertThat(rotated.password()).as("a generated password").isNotEqualTo(old.password());
            Secret auth = admin.secrets().inNamespace(NS).withName(PX + "-auth").get();
            assertThat(auth.getData()).as("the previous pair is dropped once every node has the new one")
                    .doesNotContainKeys("username.prev", "password.prev");
            for (String pod : before.keySet()) {
                assertThat(adminValue(pod, "SELECT variable_value FROM runtime_global_variables WHERE variable_name = 'admin-cluster_password'"))
                        .as("%s logs its peers in with the new password (plain, not a hash)", pod).isEqualTo(rotated.password());
                try (AdminSession refused = AdminSession.open(podAdmin(pod), old)) {
                    throw new AssertionError(pod + " still lets the old pair in");
                } catch (SQLException e) {
                    assertThat(FailureClassifier.kindOf(e, FailureClassifier.Phase.CONNECT)).as("%s refuses the old pair: %s", pod, e.getMessage())
                            .isEqualTo(AdminFailureKind.AUTHENTICATION_FAILED);
                }
                assertThat(uids.seen(pod)).as("%s not replaced", pod).containsExactly(before.get(pod));
            }
            assertThat(podUids()).as("no pod replaced").isEqualTo(before);
            assertThat(admin.resources(ProxySQL.class).inNamespace(NS).withName(PX).get().getStatus().getAuthSecret().getLastUpdateTimestamp())
                    .as("status.authSecret records the rotation").isNotBlank();
            assertNotPaused();
        }
        // The Cluster syncs on the new pair: a rule loaded on px-0 reaches the others, then its removal does. (It must be
        // active: LOAD MYSQL QUERY RULES TO RUNTIME leaves inactive rules out, and they change no checksum.) It matches
        // no statement of the clients.
        adminExecute(PX + "-0", "INSERT INTO mysql_query_rules (rule_id, active, match_digest, apply) VALUES (9301, 1, '^SELECT rotated_e2e', 1)",
                "LOAD MYSQL QUERY RULES TO RUNTIME");
        for (int i = 1; i < REPLICAS; i++) {
            String pod = PX + "-" + i;
            Await.until(CHECK_TIMEOUT, "rule 9301, loaded on px-0, at runtime on " + pod,
                    () -> adminRows(pod, "SELECT rule_id FROM runtime_mysql_query_rules WHERE rule_id = 9301").size(), n -> n == 1);
        }
        // ProxySQL versions a module's config by its epoch in whole seconds, and a peer pulls only a newer epoch: a removal
        // loaded in the same second as the rule (the sync takes well under a second) has an equal epoch and never reaches
        // the peers ("epoch times are EQUAL ... we won't sync"; seen here, and reproduced with three local 2.7.1 nodes: 4
        // of 4 such removals stayed unsynced). So the removal waits for px-0's clock to pass the rule's epoch.
        long ruleEpoch = Long.parseLong(adminValue(PX + "-0", "SELECT epoch FROM runtime_checksums_values WHERE name = 'mysql_query_rules'"));
        Await.until(CHECK_TIMEOUT, "px-0's clock past the epoch of the rule's load (" + ruleEpoch + ")",
                () -> Long.parseLong(adminValue(PX + "-0", "SELECT strftime('%s', 'now')")), now -> now > ruleEpoch);
        adminExecute(PX + "-0", "DELETE FROM mysql_query_rules WHERE rule_id = 9301", "LOAD MYSQL QUERY RULES TO RUNTIME");
        Await.until(CHECK_TIMEOUT, "rule 9301 gone from every pod", () -> IntStream.range(0, REPLICAS)
                .map(i -> adminRows(PX + "-" + i, "SELECT rule_id FROM runtime_mysql_query_rules WHERE rule_id = 9301").size()).sum(), n -> n == 0);
        Await.until(CHECK_TIMEOUT, "the 3 pods to agree on their checksums after the rotation",
                () -> clusterChecksums(REPLICAS), c -> c.values().stream().distinct().count() == 1);
    }

    // ---- 8. ReconfigureTLS under load --------------------------------------------------------------------------------

    /**
     * Add TLS from the operator's own CA (no issuerRef): every pod replaced once, then a TLS handshake through the
     * Service's ClusterIP on 6033 verifies the chain against the CA Secret, both from this JVM (and a query over that
     * verified connection) and with OpenSSL inside a pod's network namespace (the MariaDB pod's). Rotate: a new serial, served by every
     * pod after {@code PROXYSQL RELOAD TLS}, no pod replaced. Remove: every pod replaced once, the CA's certificate no
     * longer served. Clients run through the Service the whole time.
     */
    @Test
    @Order(8)
    void reconfigureTlsAddsRotatesAndRemovesTheServerCertificateOnRealPods() throws Exception {
        replaceEveryPodOnceUnderLoad("tls-add", request("tls-add", "ReconfigureTLS",
                "tls: {certificates: [{alias: server, subject: {organizations: [shop]}}]}"));
        X509Certificate ca = certificate(PX + "-operator-ca");
        BigInteger first = certificate(PX + "-server-cert").getSerialNumber();
        String service = serviceIp(PX);
        assertThat(MySqlTlsProbe.handshake(service, 6033, ca).get(0).getSerialNumber())
                .as("the certificate served through the Service, verified against the CA Secret").isEqualTo(first);
        assertThat(opensslInAPod(service, ca)).as("OpenSSL in a pod's network namespace verifies the chain through the Service")
                .contains("Verification: OK");
        try (Connection tls = ClientLoad.connect(service, APP_USER, APP_PASSWORD,
                Map.of("sslMode", "verify-ca", "serverSslCert", CertificateAuthority.pem(ca)));
                Statement sql = tls.createStatement(); ResultSet rows = sql.executeQuery("SELECT item FROM shop.orders WHERE id = 2")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).as("a query over the verified TLS connection").isEqualTo("lamp");
        }
        for (Pod pod : proxysqlPods()) {
            assertThat(MySqlTlsProbe.handshake(pod.getStatus().getPodIP(), 6033, ca).get(0).getSerialNumber())
                    .as("%s serves the operator's certificate", pod.getMetadata().getName()).isEqualTo(first);
        }

        Map<String, String> before = podUids();
        try (UidWatch uids = new UidWatch()) {
            underLoad(request("tls-rotate", "ReconfigureTLS", "tls: {rotateCertificates: true}"), uids, 4, 0);
            BigInteger second = certificate(PX + "-server-cert").getSerialNumber();
            assertThat(second).as("a new server certificate").isNotEqualTo(first);
            for (Pod pod : proxysqlPods()) {
                String name = pod.getMetadata().getName();
                assertThat(MySqlTlsProbe.handshake(pod.getStatus().getPodIP(), 6033, ca).get(0).getSerialNumber())
                        .as("%s serves the new serial", name).isEqualTo(second);
                assertThat(uids.seen(name)).as("%s not replaced", name).containsExactly(before.get(name));
            }
            assertThat(podUids()).as("no pod replaced").isEqualTo(before);
            assertNotPaused();
        }

        replaceEveryPodOnceUnderLoad("tls-remove", request("tls-remove", "ReconfigureTLS", "tls: {remove: true}"));
        assertThat(admin.resources(ProxySQL.class).inNamespace(NS).withName(PX).get().getSpec().getTls()).as("spec.tls").isNull();
        for (Pod pod : proxysqlPods()) {
            // ProxySQL still offers TLS with a certificate it generates itself: the chain no longer verifies.
            assertThatThrownBy(() -> MySqlTlsProbe.handshake(pod.getStatus().getPodIP(), 6033, ca))
                    .as("%s no longer serves the operator's certificate", pod.getMetadata().getName()).isInstanceOf(SSLHandshakeException.class);
        }
    }

    /**
     * {@code openssl s_client -starttls mysql} to {@code host}:6033 from inside the MariaDB pod's network namespace (a
     * client pod: the node's own namespace has no route for the Service range, pods reach it through their gateway),
     * verifying the chain against {@code ca}. The host's openssl runs there with {@code nsenter --net}, the pod's
     * process found through the node's containerd.
     */
    private static String opensslInAPod(String host, X509Certificate ca) throws Exception {
        Pod client = admin.pods().inNamespace(NS).withName("mariadb").get();
        String container = client.getStatus().getContainerStatuses().get(0).getContainerID().replaceFirst("^containerd://", "");
        String pid = command(List.of("ctr", "--address", "/run/proxysql-operator-node/containerd/containerd.sock", "-n", "k8s.io",
                "task", "ls")).lines().filter(l -> l.startsWith(container + " ")).map(l -> l.trim().split("\\s+")[1]).findFirst()
                .orElseThrow(() -> new IllegalStateException("no task of container " + container + " (pod mariadb) in the node's containerd"));
        Path caFile = Files.createTempFile("e2e-ca", ".pem");
        try {
            Files.writeString(caFile, CertificateAuthority.pem(ca));
            String out = command(List.of("nsenter", "--target", pid, "--net", "openssl", "s_client", "-starttls", "mysql", "-connect",
                    host + ":6033", "-CAfile", caFile.toString(), "-verify_return_error", "-brief"));
            log("openssl s_client in pod mariadb's network namespace (pid %s) to %s:6033:%n%s", pid, host, out.strip());
            return out;
        } finally {
            Files.deleteIfExists(caFile);
        }
    }

    /** What {@code command} printed (stdout and stderr), its input empty; it must end within 30 s. */
    private static String command(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).as("%s finished", command).isTrue();
        return out;
    }

    private static X509Certificate certificate(String secret) throws Exception {
        Secret s = admin.secrets().inNamespace(NS).withName(secret).get();
        assertThat(s).as("Secret %s", secret).isNotNull();
        return CertificateAuthority.readCertificates(new java.io.StringReader(decode(s, "tls.crt"))).get(0);
    }

    /**
     * Creates {@code request} while 4 clients run through the Service, waits until it is Successful and asserts every
     * ProxySQL pod was replaced exactly once, checked, and the ProxySQL resumed; prints the client figures.
     */
    private static ClientLoad.Figures replaceEveryPodOnceUnderLoad(String name, ProxySQLOpsRequest request) throws Exception {
        Map<String, String> before = podUids();
        assertThat(before).as("the deployment of the earlier scenarios").hasSize(REPLICAS);
        try (UidWatch uids = new UidWatch()) {
            UnderLoad run = underLoad(request, uids, 4, 0);
            ProxySQLOpsRequest done = run.done();
            Map<String, String> after = podUids();
            for (String pod : before.keySet()) {
                assertThat(uids.seen(pod)).as("%s replaced exactly once: the UIDs seen under its name", pod)
                        .containsExactlyInAnyOrder(before.get(pod), after.get(pod));
                assertThat(after.get(pod)).as("%s was replaced", pod).isNotEqualTo(before.get(pod));
                assertThat(Conditions.find(done.getStatus().getConditions(), "CheckPodReady--" + pod).map(c -> c.getMessage()))
                        .hasValueSatisfying(m -> assertThat(m).contains("lists its 3 cluster peers", "reaches its backend"));
            }
            assertNotPaused();
            return run.figures();
        }
    }

    /** What a request did under client load: its final state, and what the clients saw meanwhile. */
    private record UnderLoad(ProxySQLOpsRequest done, ClientLoad.Figures figures) {
    }

    /**
     * Starts {@code threads} clients through the Service ({@code connecting} of them on a new connection for every
     * transaction), creates {@code request} once they run, waits for its final phase and 50 more transactions, stops
     * the clients, prints their figures, the request's conditions and the pods' changes, and asserts it Successful.
     */
    private static UnderLoad underLoad(ProxySQLOpsRequest request, UidWatch uids, int threads, int connecting) throws Exception {
        String name = request.getMetadata().getName();
        try (ClientLoad load = new ClientLoad(serviceIp(PX), APP_USER, APP_PASSWORD, threads, connecting)) {
            load.start();
            load.awaitSuccesses(50, Duration.ofSeconds(60));
            Instant start = Instant.now();
            apply(request);
            ProxySQLOpsRequest done = awaitOps(name, OpsRequestPhase.SUCCESSFUL, OpsRequestPhase.FAILED);
            Duration took = Duration.between(start, Instant.now());
            load.awaitSuccesses(load.successes() + 50, Duration.ofSeconds(60));
            ClientLoad.Figures figures = load.stop();
            log("%s %s: %s in %d s (creation to final phase)", request.getSpec().getType(), name, done.getStatus().getPhase(), took.toSeconds());
            log("client load during %s: %s", name, figures);
            figures.printErrors();
            logTimeline(done, uids);
            assertThat(done.getStatus().getPhase()).as("%s phase; conditions: %s", name, describe(done.getStatus().getConditions()))
                    .isEqualTo(OpsRequestPhase.SUCCESSFUL);
            return new UnderLoad(done, figures);
        }
    }

    private static ProxySQLOpsRequest request(String name, String type, String body) {
        return Serialization.unmarshal("""
                apiVersion: ops.kubedb.com/v1alpha1
                kind: ProxySQLOpsRequest
                metadata: {name: %s, namespace: %s}
                spec:
                  type: %s
                  proxyRef: {name: %s}
                  %s
                  timeout: 5m
                  apply: IfReady
                """.formatted(name, NS, type, PX, body), ProxySQLOpsRequest.class);
    }

    // ---- the backend -------------------------------------------------------------------------------------------------

    private static void deployMariaDb() throws Exception {
        applyWorkload("mariadb.yaml");
        Await.until(POD_TIMEOUT, "pod mariadb to be Ready on " + NODE,
                () -> admin.pods().inNamespace(NS).withName("mariadb").get(), ProxySqlOnRealNodeE2E::ready);
        mariadbClusterIp = serviceIp("mariadb");
        String version;
        try (Connection root = Await.until(Duration.ofSeconds(60), "a root login to MariaDB at its Service " + mariadbClusterIp,
                ProxySqlOnRealNodeE2E::mariadbRoot, c -> c != null); Statement sql = root.createStatement()) {
            sql.execute("CREATE DATABASE shop");
            sql.execute("CREATE USER '" + APP_USER + "'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'");
            sql.execute("GRANT ALL PRIVILEGES ON shop.* TO '" + APP_USER + "'@'%'");
            sql.execute("CREATE TABLE shop.txn (id BIGINT AUTO_INCREMENT PRIMARY KEY, client INT, at TIMESTAMP(3))");
            try (ResultSet rs = sql.executeQuery("SELECT VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
        }
        // As KubeDB writes it for a MariaDB, except: the type names no MySQL flavour (so the backend is one standalone
        // server, not a Galera cluster) and the url gives the Service's ClusterIP (this JVM cannot resolve
        // mariadb.e2e.svc); spec.version is the server's own version string, which ProxySQL announces to clients.
        apply(Serialization.unmarshal("""
                apiVersion: appcatalog.appscode.com/v1alpha1
                kind: AppBinding
                metadata:
                  name: mariadb
                  namespace: %1$s
                  labels:
                    app.kubernetes.io/component: database
                    app.kubernetes.io/instance: mariadb
                    app.kubernetes.io/managed-by: kubedb.com
                    app.kubernetes.io/name: mariadbs.kubedb.com
                spec:
                  appRef: {apiGroup: kubedb.com, kind: MariaDB, name: mariadb, namespace: %1$s}
                  clientConfig:
                    url: tcp(%2$s:3306)/
                  secret: {name: mariadb-auth}
                  type: example.com/standalone-server
                  version: "%3$s"
                """.formatted(NS, mariadbClusterIp, version), GenericKubernetesResource.class));
    }

    private static Connection mariadbRoot() {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", ROOT_PASSWORD);
        p.setProperty("connectTimeout", "3000");
        try {
            return new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + mariadbClusterIp + ":3306/", p);
        } catch (SQLException e) {
            throw new IllegalStateException("MariaDB root login at " + mariadbClusterIp + ":3306: " + e.getMessage(), e);
        }
    }

    static Connection appConnection(String host) throws SQLException {
        return ClientLoad.connect(host, APP_USER, APP_PASSWORD);
    }

    /** The objects of hack/node/workload/{@code file} (shared with bench/run.sh realpods), in namespace {@value #NS}. */
    private static void applyWorkload(String file) throws IOException {
        try (InputStream in = Files.newInputStream(scripts.root().resolve("hack/node/workload/" + file))) {
            for (HasMetadata o : admin.load(in).items()) {
                o.getMetadata().setNamespace(NS);
                apply(o);
            }
        }
    }

    // ---- ProxySQL pods -----------------------------------------------------------------------------------------------

    /** The check reaches a pod at its IP (routed from the host); its peers still name it by its stable DNS name. */
    private static AdminEndpoints byPodIp() {
        return new AdminEndpoints() {
            @Override
            public AdminEndpoint of(ProxySQL p, String pod) {
                Pod live = admin.pods().inNamespace(p.getMetadata().getNamespace()).withName(pod).get();
                if (live == null || live.getStatus() == null || live.getStatus().getPodIP() == null) {
                    throw new IllegalStateException("pod " + pod + " has no IP yet");
                }
                return new AdminEndpoint(live.getStatus().getPodIP(), 6032);
            }

            @Override
            public AdminEndpoint peer(ProxySQL p, String pod) {
                return AdminEndpoints.podDns().of(p, pod);
            }
        };
    }

    private static List<Pod> proxysqlPods() {
        return admin.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", PX).list().getItems();
    }

    private static Map<String, String> podUids() {
        return proxysqlPods().stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid(),
                (a, b) -> a, TreeMap::new));
    }

    /** Every UID seen under each pod name of the ProxySQL while it is open, and each pod's changes of state. */
    private static final class UidWatch implements AutoCloseable {
        private final Map<String, Set<String>> seen = new ConcurrentHashMap<>();
        private final Map<String, String> lastState = new ConcurrentHashMap<>();
        private final java.util.Queue<String> events = new java.util.concurrent.ConcurrentLinkedQueue<>();
        private final SharedIndexInformer<Pod> informer;

        UidWatch() {
            informer = admin.pods().inNamespace(NS).withLabel("app.kubernetes.io/instance", PX).inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Pod pod) {
                    record(pod);
                }

                @Override
                public void onUpdate(Pod before, Pod pod) {
                    record(pod);
                }

                @Override
                public void onDelete(Pod pod, boolean unknown) {
                    record(pod);
                    events.add(java.time.LocalTime.now().withNano(0) + " " + pod.getMetadata().getName() + " "
                            + pod.getMetadata().getUid().substring(0, 8) + " deleted");
                }
            });
            Await.until(Duration.ofSeconds(30), "the pod informer to sync", informer::hasSynced);
        }

        private void record(Pod pod) {
            String name = pod.getMetadata().getName();
            seen.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(pod.getMetadata().getUid());
            String image = pod.getSpec().getContainers().get(0).getImage();
            String state = pod.getMetadata().getUid().substring(0, 8) + " " + image.substring(image.indexOf(':') + 1)
                    + (pod.getMetadata().getDeletionTimestamp() != null ? " terminating" : ready(pod) ? " Ready" : " not Ready");
            if (!state.equals(lastState.put(name, state))) {
                events.add(java.time.LocalTime.now().withNano(0) + " " + name + " " + state);
            }
        }

        List<String> events() {
            return List.copyOf(events);
        }

        Set<String> seen(String pod) {
            return seen.getOrDefault(pod, Set.of());
        }

        @Override
        public void close() {
            informer.close();
        }
    }

    private static AdminCredentials clusterCredentials() {
        Secret auth = admin.secrets().inNamespace(NS).withName(PX + "-auth").get();
        return new AdminCredentials(decode(auth, "username"), decode(auth, "password"));
    }

    private static String decode(Secret s, String key) {
        return new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
    }

    private static AdminEndpoint podAdmin(String pod) {
        return byPodIp().of(admin.resources(ProxySQL.class).inNamespace(NS).withName(PX).get(), pod);
    }

    private static List<Map<String, String>> adminRows(String pod, String sql) {
        try (AdminSession session = AdminSession.open(podAdmin(pod), clusterCredentials())) {
            return session.rows(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(pod + ": " + sql + ": " + e.getMessage(), e);
        }
    }

    private static void adminExecute(String pod, String... statements) {
        try (AdminSession session = AdminSession.open(podAdmin(pod), clusterCredentials())) {
            session.execute(statements);
        } catch (SQLException e) {
            throw new IllegalStateException(pod + ": " + String.join("; ", statements) + ": " + e.getMessage(), e);
        }
    }

    private static String adminValue(String pod, String sql) {
        List<Map<String, String>> rows = adminRows(pod, sql);
        return rows.isEmpty() ? null : rows.get(0).values().iterator().next();
    }

    private static Map<String, Map<String, String>> clusterChecksums() {
        return clusterChecksums(REPLICAS);
    }

    private static Map<String, Map<String, String>> clusterChecksums(int pods) {
        Map<String, Map<String, String>> byPod = new TreeMap<>();
        for (int i = 0; i < pods; i++) {
            String pod = PX + "-" + i;
            Map<String, String> values = new TreeMap<>();
            for (Map<String, String> row : adminRows(pod, "SELECT name, checksum FROM runtime_checksums_values"
                    + " WHERE name IN ('mysql_servers', 'mysql_users', 'mysql_query_rules', 'proxysql_servers')")) {
                values.put(row.get("name"), row.get("checksum"));
            }
            byPod.put(pod, values);
        }
        return byPod;
    }

    // ---- ops requests ------------------------------------------------------------------------------------------------

    private static ProxySQLOpsRequest updateVersion(String name, String target, String timeout, int maxRetries) {
        return Serialization.unmarshal("""
                apiVersion: ops.kubedb.com/v1alpha1
                kind: ProxySQLOpsRequest
                metadata: {name: %s, namespace: %s}
                spec:
                  type: UpdateVersion
                  proxyRef: {name: %s}
                  updateVersion: {targetVersion: %s}
                  timeout: %s
                  maxRetries: %d
                  apply: IfReady
                """.formatted(name, NS, PX, target, timeout, maxRetries), ProxySQLOpsRequest.class);
    }

    /** Waits for one of the final phases and for the finalizer to be released, the last thing the operator does. */
    private static ProxySQLOpsRequest awaitOps(String name, OpsRequestPhase... phases) {
        Set<OpsRequestPhase> wanted = Set.of(phases);
        return Await.until(OPS_TIMEOUT, "ProxySQLOpsRequest " + name + " in phase " + wanted + " with its finalizer released",
                () -> admin.resources(ProxySQLOpsRequest.class).inNamespace(NS).withName(name).get(),
                r -> r != null && r.getStatus() != null && wanted.contains(r.getStatus().getPhase())
                        && (r.getMetadata().getFinalizers() == null || r.getMetadata().getFinalizers().isEmpty()));
    }

    /** The request's conditions in time order, and what the pods went through, to see where the time went. */
    private static void logTimeline(ProxySQLOpsRequest r, UidWatch pods) {
        log("ProxySQLOpsRequest %s conditions:", r.getMetadata().getName());
        if (r.getStatus() == null || r.getStatus().getConditions() == null) {
            log("  (no status yet)");
            return;
        }
        r.getStatus().getConditions().stream()
                .sorted(java.util.Comparator.comparing(c -> String.valueOf(c.getLastTransitionTime())))
                .forEach(c -> log("  %s %-28s %-5s %-22s %s", c.getLastTransitionTime(), c.getType(), c.getStatus(), c.getReason(),
                        c.getMessage()));
        if (pods != null) {
            log("pods:");
            pods.events().forEach(e -> log("  %s", e));
        }
    }

    private static String describe(List<dev.proxysql.operator.api.common.Condition> conditions) {
        return conditions == null ? "[]" : conditions.stream()
                .map(c -> c.getType() + "=" + c.getStatus() + " (" + c.getReason() + ": " + c.getMessage() + ")")
                .collect(Collectors.joining("; ", "[", "]"));
    }

    private static void assertNotPaused() {
        ProxySQL p = admin.resources(ProxySQL.class).inNamespace(NS).withName(PX).get();
        assertThat(Conditions.isTrue(p.getStatus().getConditions(), PauseProtocol.PAUSED))
                .as("ProxySQL %s must not be paused once its ops request is over", PX).isFalse();
    }

    // ---- cluster plumbing --------------------------------------------------------------------------------------------

    private static String serviceIp(String name) {
        return admin.services().inNamespace(NS).withName(name).get().getSpec().getClusterIP();
    }

    private static boolean ready(Pod p) {
        return p != null && p.getStatus() != null && p.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static <T extends HasMetadata> void apply(T resource) {
        resource.getMetadata().setResourceVersion(null);
        admin.resource(resource).fieldManager("e2e").forceConflicts().serverSideApply();
    }

    private static void apply(Path manifest) throws IOException {
        try (InputStream in = Files.newInputStream(manifest)) {
            for (HasMetadata o : admin.load(in).items()) {
                apply(o);
            }
        }
    }

    /** The CRDs fabric8's generator wrote into target/classes/META-INF/fabric8 (test-compile), Established. */
    private static void installCrds() throws IOException {
        List<String> names = new ArrayList<>();
        try (var files = Files.list(scripts.root().resolve("target/classes/META-INF/fabric8"))) {
            for (Path f : files.filter(p -> p.toString().endsWith("-v1.yml")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    CustomResourceDefinition crd = admin.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
                    apply(crd);
                    names.add(crd.getMetadata().getName());
                }
            }
        }
        assertThat(names).as("CRDs generated by the build").isNotEmpty();
        for (String name : names) {
            Await.until(Duration.ofSeconds(30), "CRD " + name + " to be Established",
                    () -> admin.apiextensions().v1().customResourceDefinitions().withName(name).get(),
                    crd -> crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null
                            && crd.getStatus().getConditions().stream()
                            .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[e2e %s] %s%n", java.time.LocalTime.now().withNano(0), String.format(format, args));
    }

}
