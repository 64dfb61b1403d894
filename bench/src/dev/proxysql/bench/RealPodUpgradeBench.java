package dev.proxysql.bench;

import dev.proxysql.operator.api.kubedb.v1.DatabasePhase;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestPhase;
import dev.proxysql.operator.api.ops.v1alpha1.ProxySQLOpsRequest;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The upgrade on real pods (hack/node/): ProxySQL 2.6.5 to 2.7.1 of 3 real pods on the real node, once by a
 * ProxySQLOpsRequest (UpdateVersion, the operator running as its installed Deployment with the ProxySQL checks on)
 * and once by a native StatefulSet RollingUpdate of the same pod template, each while application clients write
 * through the ProxySQL's Service. Prints the duration of each and what the clients saw. bench/run.sh realpods sets up
 * the cluster, the node, the images and the operator first.
 */
public final class RealPodUpgradeBench {
    private static final String NS = "bench-real";
    private static final String PX = "px";
    private static final String NATIVE = "native";
    private static final String FROM = "2.6.5-local";
    private static final String TO = "2.7.1-local";
    private static final int REPLICAS = 3;
    /** As hack/node/workload/mariadb.yaml and proxysql.yaml give them (the Secret, the user's hash). */
    private static final String ROOT_PASSWORD = "Root-Pw-e2e-0042";
    private static final String APP_USER = "shop";
    private static final String APP_PASSWORD = "Shop-Pw-e2e-0042";
    private static final Duration TIMEOUT = Duration.ofMinutes(8);

    record Run(String what, double seconds, Set<String> podsReplacedTwice, SqlClients.Figures clients) {
    }

    public static void main(String[] args) throws Exception {
        Path kubeconfig = Path.of(Bench.required("kubeconfig"));
        int clients = Bench.intSetting("clients", 4);
        KubernetesClient client = Bench.client(kubeconfig);
        Path repo = Path.of(Bench.setting("repo", "."));

        apply(client, """
                apiVersion: v1
                kind: Namespace
                metadata: {name: %s}
                """.formatted(NS), io.fabric8.kubernetes.api.model.Namespace.class);
        String mariadb = deployMariaDb(client, repo);
        // The application user's Secret and ProxySQL px: 3 replicas of FROM on the real node, as make e2e deploys them.
        Bench.applyIn(client, repo.resolve("hack/node/workload/proxysql.yaml"), NS);
        await("ProxySQL " + PX + " Ready on " + FROM, () -> {
            ProxySQL p = client.resources(ProxySQL.class).inNamespace(NS).withName(PX).get();
            return p != null && p.getStatus() != null && p.getStatus().getPhase() == DatabasePhase.READY;
        });
        StatefulSet model = client.apps().statefulSets().inNamespace(NS).withName(PX).get();
        client.resource(UpgradeBench.nativeStatefulSet(model, NS, NATIVE, REPLICAS)).create();
        apply(client, """
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: %s}
                spec:
                  selector: {%s: %s}
                  ports: [{name: mysql, port: 6033}]
                """.formatted(NATIVE, NS, UpgradeBench.NATIVE_LABEL, NATIVE), Service.class);
        await("StatefulSet " + NATIVE + " rolled out", () -> UpgradeBench.rolledOut(client, NS, NATIVE, REPLICAS));
        Report.log("MariaDB at %s, ProxySQL %s and StatefulSet %s (its pod template) Ready with %d real pods each on %s",
                mariadb, PX, NATIVE, REPLICAS, model.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());

        List<Run> runs = new ArrayList<>();
        String toImage = "localhost/proxysql:" + TO;
        runs.add(measure(client, "native RollingUpdate", NATIVE, UpgradeBench.NATIVE_LABEL + "=" + NATIVE, clients, () -> {
            client.apps().statefulSets().inNamespace(NS).withName(NATIVE).edit(s -> {
                s.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals("proxysql"))
                        .forEach(c -> c.setImage(toImage));
                return s;
            });
            await("StatefulSet " + NATIVE + " rolled out on " + TO, () -> UpgradeBench.rolledOut(client, NS, NATIVE, REPLICAS));
        }));
        runs.add(measure(client, "ops request (UpdateVersion)", PX, "app.kubernetes.io/instance=" + PX, clients, () -> {
            apply(client, """
                    apiVersion: ops.kubedb.com/v1alpha1
                    kind: ProxySQLOpsRequest
                    metadata: {name: upgrade, namespace: %s}
                    spec:
                      type: UpdateVersion
                      proxyRef: {name: %s}
                      updateVersion: {targetVersion: %s}
                      timeout: 5m
                      apply: IfReady
                    """.formatted(NS, PX, TO), ProxySQLOpsRequest.class);
            await("ProxySQLOpsRequest upgrade Successful", () -> {
                ProxySQLOpsRequest r = client.resources(ProxySQLOpsRequest.class).inNamespace(NS).withName("upgrade").get();
                OpsRequestPhase phase = r == null || r.getStatus() == null ? null : r.getStatus().getPhase();
                if (phase != null && phase.isFinal() && phase != OpsRequestPhase.SUCCESSFUL) {
                    throw new IllegalStateException("the UpdateVersion ended " + phase + ": " + Serialization.asYaml(r.getStatus()));
                }
                return phase == OpsRequestPhase.SUCCESSFUL;
            });
        }));

        Report rep = new Report(String.format(Locale.ROOT, "Upgrade %s -> %s of %d real pods on the real node, %d clients writing"
                + " through the Service", FROM, TO, REPLICAS, clients));
        for (Run r : runs) {
            rep.info(r.what() + ": duration", Report.seconds(r.seconds()));
            rep.info(r.what() + ": clients", r.clients().describe());
            rep.info(r.what() + ": pods replaced more than once", r.podsReplacedTwice().isEmpty() ? "none" : r.podsReplacedTwice().toString());
        }
        rep.info("ops request / native", String.format(Locale.ROOT, "%.2fx", runs.get(1).seconds() / runs.get(0).seconds()));
        rep.print();
        client.close();
    }

    interface Upgrade {
        void run() throws Exception;
    }

    /** Clients on the Service {@code service} from before the change until 50 statements after it; pod UIDs per name. */
    private static Run measure(KubernetesClient client, String what, String service, String podSelector, int clients, Upgrade upgrade)
            throws Exception {
        String ip = client.services().inNamespace(NS).withName(service).get().getSpec().getClusterIP();
        await("a client to connect through the " + service + " Service", () -> canConnect(ip));
        Map<String, Set<String>> uids = new TreeMap<>();
        String[] label = podSelector.split("=", 2);
        try (var watch = client.pods().inNamespace(NS).withLabel(label[0], label[1]).inform(new UidRecorder(uids))) {
            SqlClients load = new SqlClients(ip, APP_USER, APP_PASSWORD, "shop", clients);
            await("50 statements through " + service, () -> load.ok() >= 50);
            Report.log("%s: %s -> %s", what, FROM, TO);
            long t0 = System.nanoTime();
            upgrade.run();
            double seconds = Bench.secondsSince(t0);
            long after = load.ok();
            await("50 more statements through " + service, () -> load.ok() >= after + 50);
            SqlClients.Figures figures = load.stop();
            Report.log("%s: done in %.1f s; clients: %s", what, seconds, figures.describe());
            Set<String> twice;
            synchronized (uids) {
                twice = uids.entrySet().stream().filter(e -> e.getValue().size() > 2).map(Map.Entry::getKey)
                        .collect(Collectors.toCollection(TreeSet::new));
            }
            return new Run(what, seconds, twice, figures);
        }
    }

    /** Every UID seen under each pod name: 2 per name after one replacement. */
    private record UidRecorder(Map<String, Set<String>> uids) implements io.fabric8.kubernetes.client.informers.ResourceEventHandler<Pod> {
        private void record(Pod p) {
            synchronized (uids) {
                uids.computeIfAbsent(p.getMetadata().getName(), k -> new TreeSet<>()).add(p.getMetadata().getUid());
            }
        }

        @Override
        public void onAdd(Pod p) {
            record(p);
        }

        @Override
        public void onUpdate(Pod before, Pod p) {
            record(p);
        }

        @Override
        public void onDelete(Pod p, boolean unknown) {
            record(p);
        }
    }

    private static boolean canConnect(String ip) {
        Properties p = login(APP_USER, APP_PASSWORD);
        try (Connection c = new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + ip + ":6033/shop", p)) {
            return c != null && c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    /** MariaDB 10.11 in one real pod with a Service, root Secret and AppBinding; the database the clients write to. */
    private static String deployMariaDb(KubernetesClient client, Path repo) throws Exception {
        Bench.applyIn(client, repo.resolve("hack/node/workload/mariadb.yaml"), NS);
        String ip = client.services().inNamespace(NS).withName("mariadb").get().getSpec().getClusterIP();
        Connection[] root = new Connection[1];
        await("a root login to MariaDB at " + ip, () -> {
            try {
                root[0] = new org.mariadb.jdbc.Driver().connect("jdbc:mariadb://" + ip + ":3306/", login("root", ROOT_PASSWORD));
                return root[0] != null;
            } catch (SQLException e) {
                return false;
            }
        });
        String version;
        try (Connection c = root[0]; Statement sql = c.createStatement()) {
            sql.execute("CREATE DATABASE shop");
            sql.execute("CREATE USER '" + APP_USER + "'@'%' IDENTIFIED BY '" + APP_PASSWORD + "'");
            sql.execute("GRANT ALL PRIVILEGES ON shop.* TO '" + APP_USER + "'@'%'");
            sql.execute("CREATE TABLE shop.load_rows (id BIGINT AUTO_INCREMENT PRIMARY KEY, client INT)");
            try (ResultSet rs = sql.executeQuery("SELECT VERSION()")) {
                rs.next();
                version = rs.getString(1);
            }
        }
        // The operator runs in the cluster: the url names the Service as KubeDB writes it.
        apply(client, """
                apiVersion: appcatalog.appscode.com/v1alpha1
                kind: AppBinding
                metadata: {name: mariadb, namespace: %1$s}
                spec:
                  appRef: {apiGroup: kubedb.com, kind: MariaDB, name: mariadb, namespace: %1$s}
                  clientConfig: {url: "tcp(mariadb.%1$s.svc:3306)/"}
                  secret: {name: mariadb-auth}
                  type: example.com/standalone-server
                  version: "%2$s"
                """.formatted(NS, version), GenericKubernetesResource.class);
        return ip;
    }

    private static Properties login(String user, String password) {
        Properties p = new Properties();
        p.setProperty("user", user);
        p.setProperty("password", password);
        p.setProperty("connectTimeout", "2000");
        return p;
    }

    private static <T extends HasMetadata> void apply(KubernetesClient client, String yaml, Class<T> type) {
        client.resource(Serialization.unmarshal(yaml, type)).fieldManager("bench").forceConflicts().serverSideApply();
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        if (!Bench.await(TIMEOUT, Duration.ofMillis(200), condition)) {
            throw new IllegalStateException("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
        }
    }
}
