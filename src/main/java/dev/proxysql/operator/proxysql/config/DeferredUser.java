package dev.proxysql.operator.proxysql.config;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code mysql_users} entry that was intentionally left out of {@code proxysql.cnf} because no password
 * is known at render time; the provisioner adds it through the admin interface with the hash it reads from the
 * backend.
 *
 * @param username the user's name
 * @param path     where the user was declared
 * @param reason   why it was deferred
 * @param columns  the other {@code mysql_users} columns as declared (ProxySQL's column names; Integer or String
 *                 values), without username and password
 */
public record DeferredUser(String username, String path, String reason, Map<String, Object> columns) {

    public static final String PASSWORD_FROM_BACKEND = "deferred: password is synced from the backend at runtime";

    public DeferredUser {
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    /** A user declared with its name only. */
    public DeferredUser(String username, String path, String reason) {
        this(username, path, reason, Map.of());
    }

    /** The declared columns of an inline user ({@code spec.configuration.init.inline.mysqlUsers[i]}). */
    static Map<String, Object> columnsOf(MySqlUser u) {
        Map<String, Object> c = new LinkedHashMap<>();
        put(c, "active", u.active());
        put(c, "use_ssl", u.useSsl());
        put(c, "default_hostgroup", u.defaultHostgroup());
        put(c, "default_schema", u.defaultSchema());
        put(c, "schema_locked", u.schemaLocked());
        put(c, "transaction_persistent", u.transactionPersistent());
        put(c, "fast_forward", u.fastForward());
        put(c, "backend", u.backend());
        put(c, "frontend", u.frontend());
        put(c, "max_connections", u.maxConnections());
        put(c, "attributes", u.attributes());
        put(c, "comment", u.comment());
        return c;
    }

    private static void put(Map<String, Object> columns, String name, Object value) {
        if (value != null) {
            columns.put(name, value);
        }
    }
}
