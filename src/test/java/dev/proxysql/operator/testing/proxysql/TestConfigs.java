package dev.proxysql.operator.testing.proxysql;

import dev.proxysql.operator.proxysql.config.Backend;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.proxysql.config.BackendServer;
import dev.proxysql.operator.proxysql.config.Credentials;
import dev.proxysql.operator.proxysql.config.InlineInitConfig;
import dev.proxysql.operator.proxysql.config.ProxySqlCnfRenderer;
import dev.proxysql.operator.proxysql.config.ProxySqlConfigInput;
import dev.proxysql.operator.proxysql.config.ProxySqlPeers;
import dev.proxysql.operator.testing.mariadb.LocalMariaDb;
import java.util.List;

/**
 * The {@code proxysql.cnf} the provisioner renders for the ProxySQL-level tests: {@value #NAME} in namespace
 * {@value #NAMESPACE}, in front of one standalone backend (the test's private MariaDB on loopback), with the
 * credentials below. Tests that need another shape render it themselves.
 */
public final class TestConfigs {
    public static final String NAME = "proxy-server";
    public static final String NAMESPACE = "demo";
    /** The auth Secret's pair: {@code admin-cluster_username/password}, also in {@code admin-admin_credentials}. */
    public static final Credentials CLUSTER = new Credentials("cluster", "Cluster-Pw-0042");
    /** The monitor Secret's pair; give it to the backend with {@link #withMonitorUser}. */
    public static final Credentials MONITOR = new Credentials("proxysql", "Monitor-Pw-0042");

    private TestConfigs() {
    }

    /** A private MariaDB on which the monitor user of {@link #MONITOR} may log in. */
    public static LocalMariaDb withMonitorUser(LocalMariaDb mariadb) {
        return mariadb.withUser(MONITOR.username(), MONITOR.password());
    }

    /** The stable DNS names of the pods of a {@code replicas}-pod ProxySQL, as in {@code proxysql_servers}. */
    public static List<String> peers(int replicas) {
        return ProxySqlPeers.stableDnsNames(NAME, NAMESPACE, replicas);
    }

    /** The rendered config of {@code replicas} pods in front of a standalone backend on loopback port {@code backendPort}. */
    public static String standalone(int backendPort, int replicas) {
        return standalone(MONITOR, backendPort, replicas, null, false);
    }

    /** The same with another monitor user, inline init configuration, or ProxySQL's own metrics endpoint. */
    public static String standalone(Credentials monitor, int backendPort, int replicas, InlineInitConfig inline, boolean metrics) {
        Backend backend = new Backend(BackendMode.STANDALONE,
                List.of(new BackendServer(LocalMariaDb.HOST, backendPort, false)), null, null);
        return ProxySqlCnfRenderer.render(new ProxySqlConfigInput(CLUSTER, monitor, backend, peers(replicas), inline, null, metrics))
                .cnfOrThrow();
    }

    /** The hash MySQL's mysql_native_password stores ({@code *} + SHA1(SHA1(password)), hex), as mysql_users takes it. */
    public static String nativePasswordHash(String password) throws Exception {
        java.security.MessageDigest sha1 = java.security.MessageDigest.getInstance("SHA-1");
        byte[] once = sha1.digest(password.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "*" + java.util.HexFormat.of().formatHex(sha1.digest(once)).toUpperCase(java.util.Locale.ROOT);
    }

    /**
     * An init Secret {@code name} declaring one application user to ProxySQL by its password hash (key
     * {@code MySQLUsers.cnf}, as KubeDB's {@code spec.configuration.init.secretName} takes it); the user must exist on the
     * backend with that password. Hostgroup 2 is the rendered writer hostgroup.
     */
    public static io.fabric8.kubernetes.api.model.Secret usersSecret(String namespace, String name, String user, String password)
            throws Exception {
        return io.fabric8.kubernetes.client.utils.Serialization.unmarshal("""
                apiVersion: v1
                kind: Secret
                metadata: {name: %s, namespace: %s}
                stringData:
                  MySQLUsers.cnf: |
                    mysql_users=(
                     { username="%s"; password="%s"; default_hostgroup=2; active=1 }
                    )
                """.formatted(name, namespace, user, nativePasswordHash(password)), io.fabric8.kubernetes.api.model.Secret.class);
    }
}
