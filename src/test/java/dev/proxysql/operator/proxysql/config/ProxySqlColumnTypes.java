package dev.proxysql.operator.proxysql.config;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Test oracle: the type ProxySQL's config reader ({@code lib/ProxySQL_Config.cpp}, 2.x/3.0) looks each
 * table column up with. Transcribed from ProxySQL, independently of the renderer's {@code TableSchema},
 * so that a wrong type in the renderer cannot be confirmed by the same mistake in the test.
 */
final class ProxySqlColumnTypes {

    /** Per table: the columns read with {@code lookupValue(name, std::string)}; all other known columns are ints. */
    private static final Map<String, Set<String>> STRING_COLUMNS = Map.of(
            "mysql_servers", Set.of("address", "hostname", "status", "comment"),
            "mysql_group_replication_hostgroups", Set.of("comment"),
            "mysql_galera_hostgroups", Set.of("comment"),
            "proxysql_servers", Set.of("address", "hostname", "comment"),
            "mysql_users", Set.of("username", "password", "default_schema", "attributes", "comment"),
            "mysql_query_rules", Set.of("username", "schemaname", "client_addr", "proxy_addr", "digest",
                    "match_digest", "match_pattern", "re_modifiers", "replace_pattern", "error_msg", "OK_msg",
                    "attributes", "comment"));

    private static final Map<String, Set<String>> INT_COLUMNS = Map.of(
            "mysql_servers", Set.of("port", "gtid_port", "hostgroup", "hostgroup_id", "compression", "weight",
                    "max_connections", "max_replication_lag", "use_ssl", "max_latency_ms"),
            "mysql_group_replication_hostgroups", hostgroupInts(),
            "mysql_galera_hostgroups", hostgroupInts(),
            "proxysql_servers", Set.of("port", "weight"),
            "mysql_users", Set.of("active", "use_ssl", "default_hostgroup", "schema_locked", "transaction_persistent",
                    "fast_forward", "backend", "frontend", "max_connections"),
            "mysql_query_rules", Set.of("rule_id", "active", "flagIN", "proxy_port", "negate_match_pattern", "flagOUT",
                    "destination_hostgroup", "cache_ttl", "cache_empty_result", "cache_timeout", "reconnect", "timeout",
                    "retries", "delay", "next_query_flagIN", "mirror_flagOUT", "mirror_hostgroup", "sticky_conn",
                    "multiplex", "gtid_from_hostgroup", "log", "apply"));

    private ProxySqlColumnTypes() {
    }

    private static Set<String> hostgroupInts() {
        return Set.of("writer_hostgroup", "backup_writer_hostgroup", "reader_hostgroup", "offline_hostgroup", "active",
                "max_writers", "writer_is_also_reader", "max_transactions_behind");
    }

    /** "int" or "str", or empty when ProxySQL does not read this column at all. */
    static Optional<String> expectedKind(String table, String column) {
        if (STRING_COLUMNS.getOrDefault(table, Set.of()).contains(column)) {
            return Optional.of("str");
        }
        if (INT_COLUMNS.getOrDefault(table, Set.of()).contains(column)) {
            return Optional.of("int");
        }
        return Optional.empty();
    }
}
