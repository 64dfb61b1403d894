package dev.proxysql.operator.opsmanager.reconfigure;

import dev.proxysql.operator.api.kubedb.v1.MySQLUser;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigurationSpec;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigurationSpec.RequestType;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A Reconfigure request's {@code spec.configuration}, checked and normalised: users by username and rules by
 * {@code rule_id} with their cells as text, variables by their full ProxySQL name. Variables are written without
 * their prefix, as KubeDB writes them ({@code refresh_interval} in {@code adminVariables} is
 * {@code admin-refresh_interval}); a name written with its own prefix is taken as the same variable.
 *
 * <p>The checks that need nothing but the request are here, so the admission webhook and the controller refuse the
 * same requests with the same message, naming the field; what only ProxySQL or the backend knows (an unknown variable,
 * a user missing on the backend) is checked before the first write ({@link PodReconfigurer#prepare}).
 */
public record ReconfigureIntent(RequestType usersType, Map<String, Map<String, String>> users,
                                RequestType rulesType, Map<String, Map<String, String>> rules,
                                Map<String, String> variables, Map<String, String> fieldOfVariable) {

    static final String FIELD = "spec.configuration";
    private static final Pattern COLUMN = Pattern.compile("[A-Za-z0-9_]{1,64}");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z0-9_]{1,128}");
    /** mysql- variables the operator derives (listeners, the monitor's credentials, backend TLS files). */
    private static final Set<String> PROTECTED_MYSQL = Set.of("interfaces", "monitor_username", "monitor_password");
    /** admin- variables the operator derives (its own and the cluster's login, the admin listener). */
    private static final Set<String> PROTECTED_ADMIN = Set.of("admin_credentials", "mysql_ifaces", "mysql_interface",
            "mysql_interfaces", "cluster_username", "cluster_password");

    /** The intent, or the first problem, naming its field. */
    public static Result of(ReconfigurationSpec c) {
        if (c == null) {
            return Result.refused(FIELD + ": required for type Reconfigure");
        }
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, String>> users = new LinkedHashMap<>();
        RequestType usersType = null;
        if (c.getMysqlUsers() != null) {
            String f = FIELD + ".mysqlUsers";
            usersType = c.getMysqlUsers().getReqType();
            List<MySQLUser> list = c.getMysqlUsers().getUsers() == null ? List.of() : c.getMysqlUsers().getUsers();
            if (usersType == null) {
                problems.add(f + ".reqType: required (add, update or delete)");
            }
            if (list.isEmpty()) {
                problems.add(f + ".users: names no user");
            }
            for (int i = 0; i < list.size(); i++) {
                String uf = f + ".users[" + i + "]";
                Map<String, Object> raw = Serialization.jsonMapper().convertValue(list.get(i), Map.class);
                Object name = raw.get("username");
                if (name == null || name.toString().isBlank()) {
                    problems.add(uf + ".username: required");
                    continue;
                }
                if (users.containsKey(name.toString())) {
                    problems.add(uf + ".username: user " + name + " is listed twice");
                    continue;
                }
                users.put(name.toString(), cells(raw, uf, problems));
            }
        }
        Map<String, Map<String, String>> rules = new LinkedHashMap<>();
        RequestType rulesType = null;
        if (c.getMysqlQueryRules() != null) {
            String f = FIELD + ".mysqlQueryRules";
            rulesType = c.getMysqlQueryRules().getReqType();
            List<Map<String, Object>> list = c.getMysqlQueryRules().getRules() == null ? List.of() : c.getMysqlQueryRules().getRules();
            if (rulesType == null) {
                problems.add(f + ".reqType: required (add, update or delete)");
            }
            if (list.isEmpty()) {
                problems.add(f + ".rules: names no rule");
            }
            for (int i = 0; i < list.size(); i++) {
                String rf = f + ".rules[" + i + "]";
                Map<String, Object> raw = list.get(i) == null ? Map.of() : list.get(i);
                Optional<String> id = ruleId(raw.get("rule_id"));
                if (id.isEmpty()) {
                    problems.add(rf + ".rule_id: required, a positive integer");
                    continue;
                }
                if (rules.containsKey(id.get())) {
                    problems.add(rf + ".rule_id: rule " + id.get() + " is listed twice");
                    continue;
                }
                Map<String, String> cells = cells(raw, rf, problems);
                cells.put("rule_id", id.get());
                rules.put(id.get(), cells);
            }
        }
        Map<String, String> variables = new LinkedHashMap<>();
        Map<String, String> fields = new LinkedHashMap<>();
        variables(c.getMysqlVariables(), "mysql", PROTECTED_MYSQL, variables, fields, problems);
        variables(c.getAdminVariables(), "admin", PROTECTED_ADMIN, variables, fields, problems);
        if (problems.isEmpty() && users.isEmpty() && rules.isEmpty() && variables.isEmpty()) {
            problems.add(FIELD + ": names nothing to change (mysqlUsers, mysqlQueryRules, mysqlVariables or adminVariables)");
        }
        return problems.isEmpty()
                ? new Result(new ReconfigureIntent(usersType, users, rulesType, rules, variables, fields), null)
                : Result.refused(String.join("; ", problems));
    }

    /** The intent, or why the request cannot run. */
    public record Result(ReconfigureIntent intent, String problem) {
        static Result refused(String problem) {
            return new Result(null, problem);
        }
    }

    /** The field a full variable name came from, e.g. spec.configuration.adminVariables.refresh_interval. */
    public String field(String variable) {
        return fieldOfVariable.getOrDefault(variable, FIELD);
    }

    private static void variables(Map<String, Object> given, String module, Set<String> protectedNames, Map<String, String> out,
                                  Map<String, String> fields, List<String> problems) {
        if (given == null) {
            return;
        }
        String f = FIELD + "." + module + "Variables";
        given.forEach((key, value) -> {
            String vf = f + "." + key;
            String bare = key.toLowerCase(Locale.ROOT).startsWith(module + "-") ? key.substring(module.length() + 1) : key;
            if (!VARIABLE.matcher(bare).matches()) {
                problems.add(vf + ": not a ProxySQL variable name");
            } else if (protectedNames.contains(bare.toLowerCase(Locale.ROOT)) || bare.toLowerCase(Locale.ROOT).startsWith("ssl_p2s_")) {
                problems.add(vf + ": " + module + "-" + bare + " is set by the operator and cannot be reconfigured");
            } else {
                Optional<String> text = scalar(value);
                if (text.isEmpty()) {
                    problems.add(vf + ": must be a string, number or boolean");
                } else if (out.putIfAbsent(module + "-" + bare, text.get()) != null) {
                    problems.add(vf + ": " + module + "-" + bare + " is given twice");
                } else {
                    fields.put(module + "-" + bare, vf);
                }
            }
        });
    }

    private static Map<String, String> cells(Map<String, Object> raw, String field, List<String> problems) {
        Map<String, String> cells = new LinkedHashMap<>();
        raw.forEach((column, value) -> {
            if (!COLUMN.matcher(column).matches() || column.equalsIgnoreCase("password")) {
                problems.add(field + "." + column + ": not a column that can be set (passwords come from the backend)");
                return;
            }
            Optional<String> text = value instanceof Boolean b ? Optional.of(b ? "1" : "0") : scalar(value);
            if (text.isEmpty()) {
                problems.add(field + "." + column + ": must be a string, number or boolean");
            } else {
                cells.put(column, text.get());
            }
        });
        return cells;
    }

    private static Optional<String> ruleId(Object v) {
        Optional<String> text = scalar(v);
        return text.filter(t -> t.matches("[1-9][0-9]{0,9}") && Long.parseLong(t) <= Integer.MAX_VALUE);
    }

    /** A variable's or cell's value as ProxySQL stores it (text); booleans as true/false, numbers without exponent. */
    static Optional<String> scalar(Object v) {
        if (v instanceof String s) {
            return Optional.of(s);
        }
        if (v instanceof Boolean b) {
            return Optional.of(b.toString());
        }
        if (v instanceof Number n) {
            return Optional.of(new BigDecimal(n.toString()).stripTrailingZeros().toPlainString());
        }
        return Optional.empty();
    }
}
