package dev.proxysql.operator.proxysql.config;

import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParseResult;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigParser;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Group;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.ListValue;
import dev.proxysql.operator.proxysql.config.libconfig.LibconfigValue.Setting;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses the init Secret's {@code *.cnf} fragments into the same shapes the inline configuration has,
 * so that both go through one set of checks.
 *
 * <p>Each key may define only its own section ({@code AdminVariables.cnf} → {@code admin_variables}
 * group, {@code MySQLVariables.cnf} → {@code mysql_variables} group, {@code MySQLUsers.cnf} →
 * {@code mysql_users} list, {@code MySQLQueryRules.cnf} → {@code mysql_query_rules} list): anything
 * else would collide with settings the operator renders, and libconfig rejects duplicate names.
 */
final class InitSecretFragments {

    /** What the Secret contributed; all empty when there is no Secret. */
    record Fragments(
            Map<String, Object> adminVariables, String adminVariablesPath,
            Map<String, Object> mysqlVariables, String mysqlVariablesPath,
            List<DeclaredRow> mysqlUsers,
            List<DeclaredRow> mysqlQueryRules) {

        static Fragments none() {
            return new Fragments(Map.of(), "", Map.of(), "", List.of(), List.of());
        }
    }

    private InitSecretFragments() {
    }

    static Fragments parse(InitSecret secret, Problems problems) {
        if (secret == null) {
            return Fragments.none();
        }
        Map<String, Group> roots = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : secret.data().entrySet()) {
            String keyPath = FieldPaths.secretKey(secret.secretName(), entry.getKey());
            if (!InitSecret.ALLOWED_KEYS.contains(entry.getKey())) {
                problems.error(keyPath, "unsupported key '" + entry.getKey() + "'; allowed keys are "
                        + String.join(", ", InitSecret.ALLOWED_KEYS));
                continue;
            }
            LibconfigParseResult parsed = LibconfigParser.parse(entry.getValue() == null ? "" : entry.getValue());
            if (!parsed.isSuccess()) {
                problems.error(keyPath, "not valid libconfig: " + parsed.error().get());
                continue;
            }
            roots.put(entry.getKey(), parsed.rootOrThrow());
        }
        String name = secret.secretName();
        String adminPath = sectionPath(name, InitSecret.ADMIN_VARIABLES_KEY, "admin_variables");
        String mysqlPath = sectionPath(name, InitSecret.MYSQL_VARIABLES_KEY, "mysql_variables");
        return new Fragments(
                variables(roots.get(InitSecret.ADMIN_VARIABLES_KEY), "admin_variables", adminPath, problems),
                adminPath,
                variables(roots.get(InitSecret.MYSQL_VARIABLES_KEY), "mysql_variables", mysqlPath, problems),
                mysqlPath,
                rows(roots.get(InitSecret.MYSQL_USERS_KEY), "mysql_users",
                        sectionPath(name, InitSecret.MYSQL_USERS_KEY, "mysql_users"), problems),
                rows(roots.get(InitSecret.MYSQL_QUERY_RULES_KEY), "mysql_query_rules",
                        sectionPath(name, InitSecret.MYSQL_QUERY_RULES_KEY, "mysql_query_rules"), problems));
    }

    private static String sectionPath(String secretName, String key, String section) {
        return FieldPaths.secretKey(secretName, key) + "/" + section;
    }

    private static Map<String, Object> variables(Group root, String section, String path, Problems problems) {
        Optional<LibconfigValue> value = onlySection(root, section, path, problems);
        if (value.isEmpty()) {
            return Map.of();
        }
        if (!(value.get() instanceof Group group)) {
            problems.error(path, "must be a group: " + section + "={ name=value ... }");
            return Map.of();
        }
        Map<String, Object> variables = new LinkedHashMap<>();
        for (Setting setting : group.settings()) {
            variables.put(setting.name(), UserValues.fromLibconfig(setting.value()));
        }
        return variables;
    }

    private static List<DeclaredRow> rows(Group root, String section, String path, Problems problems) {
        Optional<LibconfigValue> value = onlySection(root, section, path, problems);
        if (value.isEmpty()) {
            return List.of();
        }
        if (!(value.get() instanceof ListValue list)) {
            problems.error(path, "must be a list of groups: " + section + "=( { ... }, { ... } )");
            return List.of();
        }
        List<DeclaredRow> rows = new ArrayList<>();
        for (int i = 0; i < list.elements().size(); i++) {
            String rowPath = FieldPaths.index(path, i);
            if (list.elements().get(i) instanceof Group row) {
                @SuppressWarnings("unchecked")
                Map<String, Object> cells = (Map<String, Object>) UserValues.fromLibconfig(row);
                rows.add(new DeclaredRow(cells, rowPath));
            } else {
                problems.error(rowPath, "must be a group { column=value ... }");
            }
        }
        return rows;
    }

    /** The fragment's one expected top-level setting; reports any other. */
    private static Optional<LibconfigValue> onlySection(Group root, String section, String path, Problems problems) {
        if (root == null) {
            return Optional.empty();
        }
        String keyPath = path.substring(0, path.lastIndexOf('/'));
        for (Setting setting : root.settings()) {
            if (!setting.name().equals(section)) {
                problems.error(keyPath, "may only define '" + section + "', but defines '" + setting.name() + "'");
            }
        }
        Optional<LibconfigValue> value = root.get(section);
        if (value.isEmpty() && root.settings().isEmpty()) {
            problems.warn(keyPath, "is empty and was ignored");
        }
        return value;
    }
}
