package dev.proxysql.operator.proxysql.config;

import java.util.Optional;

/**
 * Characters ProxySQL cannot take from its config file, whatever the libconfig escaping.
 *
 * <p>ProxySQL up to at least 3.0.x copies config-file values into SQL text for its internal SQLite
 * database without escaping them: global variables and query-rule strings inside double quotes,
 * {@code mysql_users} name, password and schema inside single quotes. A value containing that quote
 * makes the INSERT fail and the setting silently disappears, so we reject it up front.
 */
final class ProxySqlText {

    /** Forbidden in global variables and mysql_query_rules strings. */
    static final String DOUBLE_QUOTED_SQL = "\"";
    /** Forbidden in mysql_users username, password and default_schema. */
    static final String SINGLE_QUOTED_SQL = "'";
    /** Nothing beyond NUL (columns ProxySQL escapes itself, such as comments of servers and users). */
    static final String ESCAPED_BY_PROXYSQL = "";

    private ProxySqlText() {
    }

    static Optional<String> check(String value, String forbidden, String path, Problems problems) {
        if (value.indexOf('\0') >= 0) {
            problems.error(path, "contains a NUL character, which cannot be stored in proxysql.cnf");
            return Optional.empty();
        }
        for (char c : forbidden.toCharArray()) {
            if (value.indexOf(c) >= 0) {
                problems.error(path, "contains the character " + c + ", which ProxySQL cannot load from its"
                        + " config file (it builds unescaped SQL from it); set this value through the admin"
                        + " interface instead");
                return Optional.empty();
            }
        }
        return Optional.of(value);
    }
}
