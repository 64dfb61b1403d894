package dev.proxysql.operator.provisioner;

import static dev.proxysql.operator.testing.galera.GaleraProxySql.READER;
import static dev.proxysql.operator.testing.galera.GaleraProxySql.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.testing.InProcessOperator;
import dev.proxysql.operator.testing.OperatorFixture;
import dev.proxysql.operator.testing.cluster.Await;
import dev.proxysql.operator.testing.cluster.LocalCluster;
import dev.proxysql.operator.testing.cluster.TestNamespace;
import dev.proxysql.operator.testing.galera.GaleraNode;
import dev.proxysql.operator.testing.galera.GaleraProxySql;
import dev.proxysql.operator.testing.galera.LocalGalera;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.LocalBackendBinding;
import dev.proxysql.operator.testing.proxysql.LocalProxySql;
import dev.proxysql.operator.testing.proxysql.ProxySqlBuilds;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.ProxySqlPods;
import dev.proxysql.operator.topology.BackendMembers;
import dev.proxysql.operator.topology.BackendModes;
import dev.proxysql.operator.topology.ConfigFile;
import dev.proxysql.operator.topology.ProxySQLNames;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The members of a Galera backend's Service, found by the provisioner from its EndpointSlices and rendered one row
 * each, in front of a real 3-node MariaDB Galera cluster and real ProxySQL: the AppBinding names a Service without
 * selector whose hand-made EndpointSlices list the {@link LocalGalera} nodes' loopback addresses (as for a cluster
 * outside Kubernetes); the config Secret lists every node, and ProxySQL's Galera monitor, checking each node on its
 * own, picks exactly one writer that every ProxySQL node of a 3-pod ProxySQL agrees on. A change of the members
 * re-renders the config.
 *
 * <p>The Service's DNS name does not resolve here, so the provisioner cannot read the backend's mode or create the
 * monitor user through it: the mode is the {@code kubedb.com/mariadb} hint (Galera) and the test creates the monitor
 * user of the {@code <name>-monitor} Secret as the provisioner would.
 */
@LocalCluster
class GaleraMembersOnProxySqlIT {
    private static final String ADMIN = "kubedb_root";
    private static final String ADMIN_PASSWORD = "AdminPw1234567890";
    private static final String SERVICE = "galera";
    private static final Duration TIMEOUT = Duration.ofMinutes(2);
    private static final Pattern SERVER_ROW = Pattern.compile("hostgroup_id=(\\d+)\\s*hostname=\"([^\"]+)\"\\s*port=(\\d+)");

    @RegisterExtension
    static final LocalGalera GALERA = new LocalGalera().withAdmin(ADMIN, ADMIN_PASSWORD);

    @RegisterExtension
    static final LocalProxySql PROXYSQL = new LocalProxySql();

    @RegisterExtension
    static final InProcessOperator OPERATOR = new InProcessOperator(client -> OperatorFixture.startOnLocalProxySql(client, false),
            LocalBackendBinding::installVersions);

    @ParameterizedTest(name = "ProxySQL {0}")
    @MethodSource("dev.proxysql.operator.testing.proxysql.ProxySqlBuilds#versions")
    void everyMemberIsRenderedAndTheGaleraMonitorPicksOneWriterEveryProxySqlNodeAgreesOn(String build, KubernetesClient client,
            TestNamespace ns) throws Exception {
        Set<String> nodes = GALERA.nodes().stream().map(GaleraNode::address).collect(Collectors.toCollection(TreeSet::new));
        bindService(client, ns, endpointSlice(ns, "galera-all", "FQDN", new ArrayList<>(nodes)));
        try (ProxySqlPods pods = new ProxySqlPods(client, ns.name(), "px", 3, PROXYSQL, LocalBackendBinding.images()).start()) {
            client.resource(proxysql(ns, build, 3)).create();
            Map<Integer, Set<String>> rendered = Await.until(TIMEOUT, "a config Secret", () -> servers(configSecret(client)),
                    s -> !s.isEmpty());
            assertThat(rendered).as("mysql_servers of the config Secret: every member in the writer and the reader hostgroup, and"
                    + " not the Service's name").isEqualTo(Map.of(WRITER, nodes, READER, nodes));
            createMonitorUser(client);

            List<ProxySqlNode> proxies = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String pod = "px-" + i;
                proxies.add(Await.until(TIMEOUT, "a running ProxySQL for pod " + pod, () -> pods.node(pod), n -> n != null && n.answering()));
            }
            String writer = Await.until(TIMEOUT, "every ProxySQL node to have the same single writer ONLINE", () -> {
                String agreed = GaleraProxySql.agreedWriter(proxies);
                return agreed != null ? agreed : GaleraProxySql.describe(proxies);
            }, nodes::contains);
            for (ProxySqlNode proxy : proxies) {
                try (AdminSession admin = proxy.session()) {
                    assertThat(hosts(admin, "SELECT DISTINCT hostname FROM mysql_servers")).as("the members ProxySQL %s was configured with",
                            proxy.address()).isEqualTo(nodes);
                }
                assertThat(GaleraProxySql.online(proxy, WRITER)).as("the writers of ProxySQL %s", proxy.address()).containsExactly(writer);
                assertThat(GaleraProxySql.online(proxy, READER)).as("the readers of ProxySQL %s (the writer is also a reader)",
                        proxy.address()).isEqualTo(nodes);
            }
        }
    }

    /**
     * Members added in a second EndpointSlice, then a slice removed: the config Secret follows each change. A
     * Standalone override renders the Service's one address again. No ProxySQL runs (the pods of the local cluster
     * run no process): this is the provisioner's part.
     */
    @Test
    void aChangeOfTheMembersReRendersTheConfig(KubernetesClient client, TestNamespace ns) {
        List<String> addresses = List.of("10.1.0.2", "10.1.0.3", "10.1.0.10");
        bindService(client, ns, endpointSlice(ns, "galera-a", "IPv4", List.of(addresses.get(0))));
        client.resource(proxysql(ns, ProxySqlBuilds.newest(), 1)).create();
        awaitRenderedMembers(client, Set.of(addresses.get(0)), "the first slice's member");

        client.resource(endpointSlice(ns, "galera-b", "IPv4", List.of(addresses.get(2), addresses.get(1)))).create();
        awaitRenderedMembers(client, Set.copyOf(addresses), "the members of both slices");
        String cnf = configSecret(client);
        assertThat(cnf.indexOf("\"10.1.0.2\"")).as("sorted: .2, .3, .10").isLessThan(cnf.indexOf("\"10.1.0.3\""));
        assertThat(cnf.indexOf("\"10.1.0.3\"")).isLessThan(cnf.indexOf("\"10.1.0.10\""));

        client.resources(EndpointSlice.class).inNamespace(ns.name()).withName("galera-a").delete();
        awaitRenderedMembers(client, Set.of(addresses.get(1), addresses.get(2)), "the members of the remaining slice");

        client.resources(ProxySQL.class).withName("px").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"metadata\":{\"annotations\":{\"" + BackendModes.OVERRIDE_ANNOTATION + "\":\"Standalone\"}}}");
        String service = SERVICE + "." + ns.name() + ".svc";
        Await.until(TIMEOUT, "the Service's one address rendered for a standalone backend", () -> servers(configSecret(client)),
                s -> s.equals(Map.of(WRITER, Set.of(service))));
    }

    private static void awaitRenderedMembers(KubernetesClient client, Set<String> members, String what) {
        Await.until(TIMEOUT, what + " " + members + " in the writer and reader hostgroups of the config Secret",
                () -> servers(configSecret(client)), s -> s.equals(Map.of(WRITER, members, READER, members)));
    }

    /** The backend's Secret, a Service without selector with {@code slice}, and a KubeDB MariaDB AppBinding naming it. */
    private static void bindService(KubernetesClient client, TestNamespace ns, EndpointSlice slice) {
        client.secrets().inNamespace(ns.name()).resource(new SecretBuilder().withNewMetadata().withName("galera-auth").endMetadata()
                .withType("kubernetes.io/basic-auth").withStringData(Map.of("username", ADMIN, "password", ADMIN_PASSWORD)).build()).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: v1
                kind: Service
                metadata: {name: %s, namespace: %s}
                spec:
                  ports: [{name: primary, port: %d, targetPort: %d}]
                """.formatted(SERVICE, ns.name(), LocalGalera.CLIENT_PORT, LocalGalera.CLIENT_PORT),
                io.fabric8.kubernetes.api.model.Service.class)).create();
        client.resource(slice).create();
        client.resource(Serialization.unmarshal("""
                apiVersion: appcatalog.appscode.com/v1alpha1
                kind: AppBinding
                metadata: {name: %s, namespace: %s}
                spec:
                  type: %s
                  version: "%s"
                  clientConfig: {service: {name: %s, port: %d, scheme: mysql}}
                  secret: {name: galera-auth}
                """.formatted(OperatorFixture.BACKEND, ns.name(), GaleraProxySql.APPBINDING_TYPE, serverVersion(), SERVICE,
                LocalGalera.CLIENT_PORT), dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding.class)).create();
    }

    /**
     * A hand-made slice of the Service, as for endpoints outside the cluster (no pods, no hostnames). The API server
     * refuses loopback addresses in an IPv4 slice ("may not be in the loopback range"), so the local Galera nodes are
     * listed in a slice of type FQDN, whose addresses only have to be DNS names: a dotted loopback address is one.
     */
    private static EndpointSlice endpointSlice(TestNamespace ns, String name, String addressType, List<String> addresses) {
        String endpoints = addresses.stream().map(a -> "  - addresses: [\"" + a + "\"]").collect(Collectors.joining("\n"));
        return Serialization.unmarshal("""
                apiVersion: discovery.k8s.io/v1
                kind: EndpointSlice
                metadata:
                  name: %s
                  namespace: %s
                  labels: {%s: %s, endpointslice.kubernetes.io/managed-by: proxysql-operator-test}
                addressType: %s
                ports: [{name: primary, port: %d, protocol: TCP}]
                endpoints:
                %s
                """.formatted(name, ns.name(), BackendMembers.SERVICE_NAME_LABEL, SERVICE, addressType, LocalGalera.CLIENT_PORT, endpoints),
                EndpointSlice.class);
    }

    private static ProxySQL proxysql(TestNamespace ns, String build, int replicas) {
        return Serialization.unmarshal("""
                apiVersion: kubedb.com/v1
                kind: ProxySQL
                metadata: {name: px, namespace: %s}
                spec:
                  version: %s
                  replicas: %d
                  backend: {name: %s}
                  deletionPolicy: Delete
                  podTemplate:
                    metadata:
                      annotations: {"kwok.proxysql.dev/ready-delay": "1s"}
                """.formatted(ns.name(), LocalBackendBinding.version(build), replicas, OperatorFixture.BACKEND), ProxySQL.class);
    }

    /** The monitor user of the {@code <name>-monitor} Secret, with the grants the provisioner gives it (through node 1). */
    private static void createMonitorUser(KubernetesClient client) {
        ProxySQL p = client.resources(ProxySQL.class).withName("px").get();
        Secret monitor = Await.until(TIMEOUT, "the monitor Secret", () -> client.secrets().withName(ProxySQLNames.monitorSecret(p)).get(),
                s -> s != null);
        GaleraProxySql.createMonitorUser(GALERA, new Credentials(ADMIN, ADMIN_PASSWORD),
                new Credentials(ConfigFile.text(monitor, "username"), ConfigFile.text(monitor, "password")));
    }

    /** Hostgroup to the hosts {@code mysql_servers} of {@code cnf} lists in it. */
    static Map<Integer, Set<String>> servers(String cnf) {
        Map<Integer, Set<String>> servers = new java.util.TreeMap<>();
        int start = cnf.indexOf("mysql_servers");
        if (start < 0) {
            return servers;
        }
        int end = cnf.indexOf(")", start);
        Matcher m = SERVER_ROW.matcher(cnf.substring(start, end));
        while (m.find()) {
            servers.computeIfAbsent(Integer.parseInt(m.group(1)), h -> new TreeSet<>()).add(m.group(2));
        }
        return servers;
    }

    private static String configSecret(KubernetesClient client) {
        ProxySQL p = client.resources(ProxySQL.class).withName("px").get();
        Secret s = p == null ? null : client.secrets().withName(ProxySQLNames.configSecret(p)).get();
        return s == null ? "" : ConfigFile.text(s, ProxySQLNames.CONFIG_KEY);
    }

    private static Set<String> hosts(AdminSession admin, String sql) throws SQLException {
        return admin.rows(sql).stream().map(r -> r.get("hostname")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static String serverVersion() {
        try (Connection c = GALERA.node(1).connectAsSetupUser(); ResultSet rs = c.createStatement().executeQuery("SELECT @@version")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the version of Galera node 1", e);
        }
    }
}
