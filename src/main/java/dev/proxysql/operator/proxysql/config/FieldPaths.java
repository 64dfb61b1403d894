package dev.proxysql.operator.proxysql.config;

/**
 * The paths named in errors. Inline values are named by their field path in the ProxySQL object;
 * values from the init Secret by the Secret, its key, and the setting inside the fragment.
 */
final class FieldPaths {

    static final String INLINE = "spec.configuration.init.inline";
    static final String INLINE_ADMIN_VARIABLES = INLINE + ".adminVariables";
    static final String INLINE_MYSQL_VARIABLES = INLINE + ".mysqlVariables";
    static final String INLINE_MYSQL_USERS = INLINE + ".mysqlUsers";
    static final String INLINE_MYSQL_QUERY_RULES = INLINE + ".mysqlQueryRules";
    static final String INIT_SECRET = "spec.configuration.init.secretName";
    static final String AUTH_SECRET = "spec.authSecret";
    static final String MONITOR = "monitor";
    static final String BACKEND = "backend";
    static final String PROXYSQL_PEERS = "proxysqlServers";

    private FieldPaths() {
    }

    static String child(String parent, String name) {
        return parent + "." + name;
    }

    static String index(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** E.g. {@code spec.configuration.init.secretName(my-config)/MySQLVariables.cnf}. */
    static String secretKey(String secretName, String key) {
        return INIT_SECRET + "(" + secretName + ")/" + key;
    }
}
