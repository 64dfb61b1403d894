package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Bool;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Str;

import java.util.List;
import java.util.Set;

/**
 * {@code admin_variables} as KubeDB's ProxySQL image ships them: local {@code admin:admin} (the image's
 * scripts and the exporter use it), the cluster user for remote admin access and cluster sync, and
 * ProxySQL Cluster settings that make peers converge within a few hundred milliseconds.
 */
public final class AdminVariableDefaults {

    /** Local-only admin account; ProxySQL refuses {@code admin} from remote hosts whatever its password. */
    public static final String LOCAL_ADMIN = "admin:admin";
    public static final String ADMIN_INTERFACE = "0.0.0.0:6032";

    /** Set by the operator from the auth Secret and the pod layout; users may not override them. */
    public static final Set<String> PROTECTED =
            Set.of("admin_credentials", "mysql_ifaces", "cluster_username", "cluster_password");

    private static final List<String> SYNCED_MODULES =
            List.of("mysql_query_rules", "mysql_servers", "mysql_users", "proxysql_servers");

    private AdminVariableDefaults() {
    }

    /** ProxySQL's own Prometheus endpoint: its REST API serves {@code /metrics} on this port (KubeDB's metrics port). */
    public static final int METRICS_PORT = 6070;

    /** {@code metricsEndpoint}: turn on ProxySQL's REST API on {@link #METRICS_PORT}, whose {@code /metrics} Prometheus scrapes. */
    static VariableSection create(Credentials clusterAdmin, boolean metricsEndpoint) {
        VariableSection section = new VariableSection("admin_variables", "admin", PROTECTED::contains)
                .withDefault("admin_credentials", new Str(LOCAL_ADMIN + ";" + clusterAdmin.username() + ":" + clusterAdmin.password()))
                .withDefault("mysql_ifaces", new Str(ADMIN_INTERFACE))
                .withDefault("refresh_interval", new Int(2000))
                .withDefault("cluster_username", new Str(clusterAdmin.username()))
                .withDefault("cluster_password", new Str(clusterAdmin.password()))
                .withDefault("cluster_check_interval_ms", new Int(200))
                .withDefault("cluster_check_status_frequency", new Int(100));
        for (String module : SYNCED_MODULES) {
            section.withDefault("cluster_" + module + "_save_to_disk", new Bool(true));
        }
        for (String module : SYNCED_MODULES) {
            section.withDefault("cluster_" + module + "_diffs_before_sync", new Int(3));
        }
        if (metricsEndpoint) {
            section.withDefault("restapi_enabled", new Bool(true)).withDefault("restapi_port", new Int(METRICS_PORT));
        }
        return section;
    }
}
