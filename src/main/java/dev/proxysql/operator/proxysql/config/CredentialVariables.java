package dev.proxysql.operator.proxysql.config;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * ProxySQL's global variables whose value is a credential, so that no Event, condition, status or log line shows one.
 *
 * <p>Found in ProxySQL's own source, v2.6.5 and v2.7.1 (identical lists; {@code third_party/proxysql}):
 * <ul>
 *   <li>{@code lib/ProxySQL_Admin.cpp}, {@code admin_variables_names[]}: {@code admin-admin_credentials} and
 *       {@code admin-stats_credentials} ({@code user:password;user:password} lists, the logins of the admin and stats
 *       interfaces; the stats pair also logs in to the web UI) and {@code admin-cluster_password} (the password peers
 *       log in to each other with, read in {@code lib/ProxySQL_Cluster.cpp}).</li>
 *   <li>{@code lib/MySQL_Thread.cpp}, {@code mysql_thread_variables_names[]}: {@code mysql-monitor_password} (the
 *       monitor's backend password, used in {@code lib/MySQL_Monitor.cpp}).</li>
 *   <li>{@code ldap-*}: defined by the closed-source LDAP plugin ({@code include/MySQL_LDAP_Authentication.hpp} only
 *       declares {@code get_variables_list}); its bind password is caught by the name rule below.</li>
 * </ul>
 * No other variable list holds a credential: {@code lib/ClickHouse_Server.cpp} has hostname, mysql_ifaces, read_only,
 * port (ClickHouse logins are rows of {@code clickhouse_users}); {@code src/SQLite3_Server.cpp} has mysql_ifaces and
 * read_only; the REST API ({@code admin-restapi_*}) has no login and the web UI ({@code admin-web_*}) uses the stats
 * pair. {@code mysql-ssl_p2s_key} and {@code admin-ssl_keylog_file} are file paths, not secrets.
 *
 * <p>Any name containing {@code password}, {@code passwd}, {@code credentials} or {@code secret} is treated as one
 * too, so that a variable a later ProxySQL adds is hidden before anyone lists it here.
 */
public final class CredentialVariables {

    /** What a credential's value is shown as. */
    public static final String MASK = "<redacted>";

    /** The full names found in ProxySQL's source (lower case). */
    public static final Set<String> KNOWN = Set.of(
            "admin-admin_credentials",
            "admin-stats_credentials",
            "admin-cluster_password",
            "mysql-monitor_password");

    private static final Pattern BY_NAME = Pattern.compile(".*(password|passwd|credentials|secret).*");

    private CredentialVariables() {
    }

    /** Whether the variable with this full name ({@code admin-stats_credentials}) holds a credential. */
    public static boolean isCredential(String fullName) {
        if (fullName == null) {
            return false;
        }
        String name = fullName.toLowerCase(Locale.ROOT);
        return KNOWN.contains(name) || BY_NAME.matcher(name).matches();
    }

    /** The value as it may be shown: {@link #MASK} for a credential, else the value itself. */
    public static String shown(String fullName, String value) {
        return isCredential(fullName) && value != null ? MASK : value;
    }

    /** A copy of {@code variables} (full name to value) with every credential's value replaced by {@link #MASK}. */
    public static Map<String, String> redacted(Map<String, String> variables) {
        Map<String, String> out = new LinkedHashMap<>();
        variables.forEach((name, value) -> out.put(name, shown(name, value)));
        return out;
    }

    /** Only the credentials of {@code variables}, with their values. */
    public static Map<String, String> credentialsOf(Map<String, String> variables) {
        Map<String, String> out = new LinkedHashMap<>();
        variables.forEach((name, value) -> {
            if (isCredential(name)) {
                out.put(name, value);
            }
        });
        return out;
    }
}
