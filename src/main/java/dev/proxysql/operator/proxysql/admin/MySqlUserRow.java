package dev.proxysql.operator.proxysql.admin;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code mysql_users} row the operator wants on a ProxySQL node.
 *
 * @param username    the user
 * @param passwordHex the bytes of {@code mysql_users.password} as hex (a native hash is ASCII, a caching_sha2 hash
 *                    binary); never logged
 * @param columns     the other columns the operator sets (column name to Integer or String); ProxySQL's defaults for
 *                    the rest
 */
public record MySqlUserRow(String username, String passwordHex, Map<String, Object> columns) {
    public MySqlUserRow {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHex, "passwordHex");
        columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
    }

    @Override
    public String toString() {
        return "MySqlUserRow[username=" + username + ", password=<redacted>, columns=" + columns + "]";
    }
}
