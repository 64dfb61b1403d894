package dev.proxysql.operator.testing.galera;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.proxysql.backend.MonitorGrant;
import dev.proxysql.operator.proxysql.backend.MonitorUserProvisioner;
import dev.proxysql.operator.proxysql.backend.MonitorUserResult;
import dev.proxysql.operator.proxysql.config.Backend;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.BackendServer;
import dev.proxysql.operator.proxysql.config.BackendTables;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.InitSecret;
import dev.proxysql.operator.proxysql.config.InlineInitConfig;
import dev.proxysql.operator.proxysql.config.MySqlVariableDefaults;
import dev.proxysql.operator.proxysql.config.ProxySqlCnfRenderer;
import dev.proxysql.operator.proxysql.config.ProxySqlConfigInput;
import dev.proxysql.operator.testing.proxysql.AdminSession;
import dev.proxysql.operator.testing.proxysql.ProxySqlNode;
import dev.proxysql.operator.testing.proxysql.TestConfigs;
import dev.proxysql.operator.topology.BackendModes;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Real ProxySQL in front of a {@link LocalGalera} cluster: the {@code proxysql.cnf} the provisioner's renderer writes
 * for a KubeDB MariaDB AppBinding ({@code kubedb.com/mariadb}: Galera mode, the server's version announced with
 * "-MariaDB"), listing every node in the writer and reader hostgroups as KubeDB does (one row per database pod), and
 * what the running ProxySQL then says about its hostgroups.
 */
public final class GaleraProxySql {
    public static final int OFFLINE = BackendTables.OFFLINE_HOSTGROUP;
    public static final int WRITER = BackendTables.WRITER_HOSTGROUP;
    public static final int READER = BackendTables.READER_HOSTGROUP;
    public static final int BACKUP_WRITER = BackendTables.BACKUP_WRITER_HOSTGROUP;
    /** The AppBinding type KubeDB writes for a MariaDB (standalone or Galera). */
    public static final String APPBINDING_TYPE = "kubedb.com/mariadb";

    private GaleraProxySql() {
    }

    /**
     * The rendered config of a {@code replicas}-pod ProxySQL ({@link TestConfigs} names and cluster credentials) in front
     * of every node of {@code galera}, with {@code rules} inline and {@code users} from an init Secret (or none).
     */
    public static String render(LocalGalera galera, Credentials monitor, int replicas, List<Map<String, Object>> rules,
            InitSecret users) throws SQLException {
        AppBinding binding = Serialization.unmarshal("""
                apiVersion: appcatalog.appscode.com/v1alpha1
                kind: AppBinding
                metadata: {name: galera, namespace: %s}
                spec:
                  type: %s
                  version: "%s"
                  clientConfig: {url: "tcp(%s:%d)/"}
                  secret: {name: galera-auth}
                """.formatted(TestConfigs.NAMESPACE, APPBINDING_TYPE, version(galera.node(1)), galera.node(1).address(),
                LocalGalera.CLIENT_PORT), AppBinding.class);
        List<BackendServer> servers = galera.nodes().stream()
                .map(n -> new BackendServer(n.address(), n.port(), false)).toList();
        Backend backend = new Backend(BackendModes.hint(binding), servers, null,
                MySqlVariableDefaults.clientFacingVersion(binding.getSpec().getType(), binding.getSpec().getVersion()));
        return ProxySqlCnfRenderer.render(new ProxySqlConfigInput(TestConfigs.CLUSTER, monitor, backend,
                TestConfigs.peers(replicas), new InlineInitConfig(null, rules, null, null), users)).cnfOrThrow();
    }

    /**
     * The monitor user as the provisioner creates it (MonitorUserProvisioner, Galera's grants), logged in through node 1
     * as {@code admin}; Galera replicates it to the other nodes.
     */
    public static void createMonitorUser(LocalGalera galera, Credentials admin, Credentials monitor) {
        MonitorUserResult ensured = MonitorUserProvisioner.withDefaultTimeouts().ensure(galera.node(1).address(),
                LocalGalera.CLIENT_PORT, admin, monitor, MonitorGrant.forMode(BackendMode.GALERA));
        if (!ensured.ensured()) {
            throw new IllegalStateException("the provisioner's monitor user on " + galera.node(1) + ": " + ensured.message());
        }
    }

    /** An init Secret declaring one application user by its password hash, in the writer hostgroup by default. */
    public static InitSecret applicationUser(String user, String password) throws Exception {
        return new InitSecret("app-users", Map.of(InitSecret.MYSQL_USERS_KEY,
                "mysql_users=(\n { username=\"" + user + "\"; password=\"" + TestConfigs.nativePasswordHash(password)
                        + "\"; default_hostgroup=" + WRITER + "; active=1 }\n)\n"));
    }

    /** The bare release, as KubeDB's AppBinding states it (10.11.19). */
    private static String version(GaleraNode node) throws SQLException {
        try (Connection c = node.connectAsSetupUser(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT @@version")) {
            rs.next();
            return rs.getString(1).replaceFirst("-.*", "");
        }
    }

    /** The hosts ProxySQL has ONLINE in {@code hostgroup} now (runtime_mysql_servers). */
    public static Set<String> online(ProxySqlNode proxy, int hostgroup) {
        return hosts(proxy, "status = 'ONLINE' AND hostgroup_id = " + hostgroup);
    }

    /** The hosts ProxySQL lists in {@code hostgroup} now, whatever their status. */
    public static Set<String> listed(ProxySqlNode proxy, int hostgroup) {
        return hosts(proxy, "hostgroup_id = " + hostgroup);
    }

    private static Set<String> hosts(ProxySqlNode proxy, String where) {
        try (AdminSession admin = proxy.session()) {
            Set<String> hosts = new TreeSet<>();
            for (Map<String, String> row : admin.rows("SELECT hostname FROM runtime_mysql_servers WHERE " + where)) {
                hosts.add(row.get("hostname"));
            }
            return hosts;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read runtime_mysql_servers of ProxySQL at " + proxy.address(), e);
        }
    }

    /** Every runtime_mysql_servers row as "hostgroup host status", for failure messages. */
    public static String servers(ProxySqlNode proxy) {
        try (AdminSession admin = proxy.session()) {
            return admin.rows("SELECT hostgroup_id, hostname, status FROM runtime_mysql_servers ORDER BY hostgroup_id, hostname")
                    .stream().map(r -> r.get("hostgroup_id") + " " + r.get("hostname") + " " + r.get("status")).toList().toString();
        } catch (SQLException e) {
            return "(runtime_mysql_servers of " + proxy.address() + " not readable: " + e.getMessage() + ")";
        }
    }

    /** The one writer every ProxySQL node has ONLINE in the writer hostgroup, or null while they do not agree on one. */
    public static String agreedWriter(List<ProxySqlNode> proxies) {
        Set<String> writers = new TreeSet<>();
        for (ProxySqlNode proxy : proxies) {
            Set<String> online = online(proxy, WRITER);
            if (online.size() != 1) {
                return null;
            }
            writers.addAll(online);
        }
        return writers.size() == 1 ? writers.iterator().next() : null;
    }

    /** What each ProxySQL node has in its hostgroups, one line per node, for failure messages. */
    public static String describe(List<ProxySqlNode> proxies) {
        StringBuilder out = new StringBuilder();
        for (ProxySqlNode proxy : proxies) {
            out.append("\n  ProxySQL ").append(proxy.address()).append(": ").append(servers(proxy));
        }
        return out.toString();
    }
}
