package dev.proxysql.operator.proxysql.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Secret named by {@code spec.configuration.init.secretName} (or the deprecated
 * {@code spec.configSecret}), with its data already base64-decoded to text.
 *
 * <p>KubeDB allows exactly the keys in {@link #ALLOWED_KEYS}; each holds a libconfig fragment
 * defining one section, e.g. {@code MySQLVariables.cnf}:
 * <pre>
 * mysql_variables=
 * {
 *     max_connections=1024
 * }
 * </pre>
 * How fragments are merged is described on {@link ProxySqlCnfRenderer}.
 */
public record InitSecret(String secretName, Map<String, String> data) {

    public static final String ADMIN_VARIABLES_KEY = "AdminVariables.cnf";
    public static final String MYSQL_VARIABLES_KEY = "MySQLVariables.cnf";
    public static final String MYSQL_USERS_KEY = "MySQLUsers.cnf";
    public static final String MYSQL_QUERY_RULES_KEY = "MySQLQueryRules.cnf";
    public static final List<String> ALLOWED_KEYS =
            List.of(ADMIN_VARIABLES_KEY, MYSQL_VARIABLES_KEY, MYSQL_USERS_KEY, MYSQL_QUERY_RULES_KEY);

    public InitSecret {
        // Sorted so that errors come out in a stable order whatever map the caller used.
        data = data == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(data));
    }

    /** Keys only: fragments may contain passwords. */
    @Override
    public String toString() {
        return "InitSecret[secretName=" + secretName + ", keys=" + data.keySet() + "]";
    }
}
