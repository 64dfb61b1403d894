package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.ListValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code mysql_query_rules}: rules from the init Secret, then inline rules, keyed by {@code rule_id}.
 *
 * <p>{@code rule_id} is required because ProxySQL skips a rule without one (and KubeDB's webhook
 * rejects it). Two rules with the same id in one source are an error, since ProxySQL would keep only
 * the last one; an inline rule replaces a Secret rule with the same id (inline takes precedence).
 * Rules are written sorted by {@code rule_id}, the order ProxySQL evaluates them in.
 */
final class QueryRules {

    private QueryRules() {
    }

    static Optional<Setting> render(List<DeclaredRow> fromSecret, List<DeclaredRow> inline, Problems problems) {
        TreeMap<Integer, TableRow> byId = new TreeMap<>();
        addAll(fromSecret, byId, problems);
        addAll(inline, byId, problems);
        if (byId.isEmpty()) {
            return Optional.empty();
        }
        List<Group> groups = byId.values().stream().map(TableRow::toGroup).toList();
        return Optional.of(new Setting(TableSchema.MYSQL_QUERY_RULES.tableName(), new ListValue(List.copyOf(groups))));
    }

    private static void addAll(List<DeclaredRow> rows, TreeMap<Integer, TableRow> byId, Problems problems) {
        Map<Integer, String> seenInThisSource = new TreeMap<>();
        for (DeclaredRow declared : rows) {
            Optional<TableRow> row = TableRow.from(TableSchema.MYSQL_QUERY_RULES, declared.cells(), declared.path(), problems);
            if (row.isEmpty()) {
                continue;
            }
            Optional<Integer> ruleId = row.get().intValue("rule_id");
            String idPath = FieldPaths.child(declared.path(), "rule_id");
            if (ruleId.isEmpty()) {
                problems.error(idPath, "is required");
                continue;
            }
            String previous = seenInThisSource.put(ruleId.get(), declared.path());
            if (previous != null) {
                problems.error(idPath, "duplicate rule_id " + ruleId.get() + " (also used by " + previous + ")");
                continue;
            }
            TableRow replaced = byId.put(ruleId.get(), row.get());
            if (replaced != null) {
                problems.warn(declared.path(), "replaces rule_id " + ruleId.get() + " from " + replaced.path());
            }
        }
    }
}
