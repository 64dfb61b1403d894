package dev.proxysql.operator.proxysql.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The columns ProxySQL's config-file reader knows for one table, in ProxySQL's column order (which is
 * also the order we write them in), with the libconfig type each must have.
 *
 * <p>Column names match case-insensitively because KubeDB applies these rows through SQL, where
 * {@code ok_msg} and {@code OK_msg} are the same column, whereas ProxySQL's config reader is
 * case-sensitive; we therefore always write the canonical spelling. Unknown columns are errors: the
 * config reader would silently ignore them, and KubeDB's SQL would reject them.
 */
record TableSchema(String tableName, List<Column> columns) {

    enum Type { INT, STRING }

    /**
     * @param forbidden characters ProxySQL cannot load for this column (see {@link ProxySqlText})
     */
    record Column(String name, Type type, String forbidden) {
    }

    static final TableSchema MYSQL_QUERY_RULES = new TableSchema("mysql_query_rules", List.of(
            integer("rule_id"), integer("active"), queryText("username"), queryText("schemaname"),
            integer("flagIN"), queryText("client_addr"), queryText("proxy_addr"), integer("proxy_port"),
            queryText("digest"), queryText("match_digest"), queryText("match_pattern"),
            integer("negate_match_pattern"), queryText("re_modifiers"), integer("flagOUT"),
            queryText("replace_pattern"), integer("destination_hostgroup"), integer("cache_ttl"),
            integer("cache_empty_result"), integer("cache_timeout"), integer("reconnect"), integer("timeout"),
            integer("retries"), integer("delay"), integer("next_query_flagIN"), integer("mirror_flagOUT"),
            integer("mirror_hostgroup"), queryText("error_msg"), queryText("OK_msg"), integer("sticky_conn"),
            integer("multiplex"), integer("gtid_from_hostgroup"), integer("log"), integer("apply"),
            queryText("attributes"), queryText("comment")));

    static final TableSchema MYSQL_USERS = new TableSchema("mysql_users", List.of(
            new Column("username", Type.STRING, ProxySqlText.SINGLE_QUOTED_SQL),
            new Column("password", Type.STRING, ProxySqlText.SINGLE_QUOTED_SQL),
            integer("active"), integer("use_ssl"), integer("default_hostgroup"),
            new Column("default_schema", Type.STRING, ProxySqlText.SINGLE_QUOTED_SQL),
            integer("schema_locked"), integer("transaction_persistent"), integer("fast_forward"),
            integer("backend"), integer("frontend"), integer("max_connections"),
            new Column("attributes", Type.STRING, ProxySqlText.SINGLE_QUOTED_SQL),
            new Column("comment", Type.STRING, ProxySqlText.ESCAPED_BY_PROXYSQL)));

    TableSchema {
        columns = List.copyOf(columns);
    }

    Optional<Column> find(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        return columns.stream().filter(c -> c.name().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    int position(Column column) {
        return columns.indexOf(column);
    }

    private static Column integer(String name) {
        return new Column(name, Type.INT, "");
    }

    private static Column queryText(String name) {
        return new Column(name, Type.STRING, ProxySqlText.DOUBLE_QUOTED_SQL);
    }
}
