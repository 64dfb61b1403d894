package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Bool;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Int;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Str;

import java.util.Locale;
import java.util.Set;

/** {@code mysql_variables}: the set KubeDB's ProxySQL image ships, with the monitor user and backend TLS filled in. */
public final class MySqlVariableDefaults {

    public static final String CLIENT_INTERFACE = "0.0.0.0:6033";
    public static final String DEFAULT_SERVER_VERSION = "8.0.35";

    /** Exact names the operator owns; see also {@link #isProtected}. */
    public static final Set<String> PROTECTED = Set.of("interfaces", "monitor_username", "monitor_password");
    /** Every {@code ssl_p2s_*} variable is protected: backend TLS is configured from the AppBinding. */
    public static final String PROTECTED_PREFIX = "ssl_p2s_";

    private MySqlVariableDefaults() {
    }

    /** What a MariaDB backend of unknown version is announced as. */
    public static final String DEFAULT_MARIADB_SERVER_VERSION = "10.11.0-MariaDB";

    /**
     * The {@code mysql-server_version} ProxySQL announces to clients for a backend of this AppBinding type and
     * version. Client libraries pick their dialect from it: Connector/J and others take any version without
     * "MariaDB" in it for MySQL, and a MySQL 8 dialect sends {@code transaction_isolation}, which MariaDB does not
     * know, so every connection through ProxySQL to a MariaDB backend failed with "Unknown system variable
     * 'transaction_isolation'" (seen with real ProxySQL 2.7.1 in front of MariaDB 10.11, ClientTrafficIT). KubeDB's
     * MariaDB AppBindings carry the bare version (10.11.2), so "-MariaDB" is added as MariaDB itself reports it.
     */
    public static String clientFacingVersion(String backendType, String backendVersion) {
        boolean mariadb = backendType != null && backendType.toLowerCase(Locale.ROOT).contains("mariadb");
        if (backendVersion == null || backendVersion.isBlank()) {
            return mariadb ? DEFAULT_MARIADB_SERVER_VERSION : DEFAULT_SERVER_VERSION;
        }
        String version = backendVersion.strip();
        return mariadb && !version.toLowerCase(Locale.ROOT).contains("mariadb") ? version + "-MariaDB" : version;
    }

    /** Whether users may not set {@code name} (lower case, without the {@code mysql-} prefix). */
    public static boolean isProtected(String name) {
        return PROTECTED.contains(name) || name.startsWith(PROTECTED_PREFIX);
    }

    static VariableSection create(Credentials monitor, Backend backend, boolean frontendTls) {
        String serverVersion = backend.serverVersion() == null ? DEFAULT_SERVER_VERSION : backend.serverVersion();
        VariableSection section = new VariableSection("mysql_variables", "mysql", MySqlVariableDefaults::isProtected)
                .withDefault("threads", new Int(4))
                .withDefault("max_connections", new Int(2048))
                .withDefault("default_query_delay", new Int(0))
                .withDefault("default_query_timeout", new Int(36_000_000))
                .withDefault("have_compress", new Bool(true))
                .withDefault("poll_timeout", new Int(2000))
                .withDefault("interfaces", new Str(CLIENT_INTERFACE))
                .withDefault("default_schema", new Str("information_schema"))
                .withDefault("stacksize", new Int(1_048_576))
                .withDefault("server_version", new Str(serverVersion))
                .withDefault("connect_timeout_server", new Int(10_000))
                .withDefault("monitor_history", new Int(60_000))
                .withDefault("monitor_connect_interval", new Int(200_000))
                .withDefault("monitor_ping_interval", new Int(200_000))
                .withDefault("ping_interval_server_msec", new Int(10_000))
                .withDefault("ping_timeout_server", new Int(200))
                .withDefault("commands_stats", new Bool(true))
                .withDefault("sessions_sort", new Bool(true))
                .withDefault("monitor_username", new Str(monitor.username()))
                .withDefault("monitor_password", new Str(monitor.password()))
                .withDefault("monitor_galera_healthcheck_interval", new Int(2000))
                .withDefault("monitor_galera_healthcheck_timeout", new Int(800));
        if (frontendTls) {
            section.withDefault("have_ssl", new Bool(true));
        }
        if (backend.tls() != null) {
            if (backend.tls().certFile() != null) {
                section.withDefault("ssl_p2s_cert", new Str(backend.tls().certFile()));
            }
            if (backend.tls().keyFile() != null) {
                section.withDefault("ssl_p2s_key", new Str(backend.tls().keyFile()));
            }
            if (backend.tls().caFile() != null) {
                section.withDefault("ssl_p2s_ca", new Str(backend.tls().caFile()));
            }
        }
        return section;
    }
}
