package dev.proxysql.operator.opsmanager.reconfigure;

import dev.proxysql.operator.api.kubedb.v1.MySQLUser;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLConfiguration;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLConfigurationSpec;
import dev.proxysql.operator.api.kubedb.v1.ProxySQLInitConfiguration;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a Reconfigure's result is kept: the ProxySQL's {@code spec.configuration.init.inline}, which the provisioner
 * renders into the config Secret's {@code proxysql.cnf} (inline entries win over the init Secret's, entry by entry), so
 * that a new or recreated pod starts with it. Existing pods keep it in {@code proxysql.db} (the request saved it to
 * disk), which ProxySQL reads instead of {@code proxysql.cnf} once it exists. A ProxySQL configured through the
 * deprecated {@code spec.initConfig} gets a copy of it as {@code inline}, which takes precedence from then on.
 *
 * <p>Variables are kept without their prefix (the inline form); users by username (update merges the given fields
 * into the inline entry); rules by {@code rule_id}. Applying the same request twice gives the same spec.
 */
public final class InlineConfigUpdate {
    private InlineConfigUpdate() {
    }

    /** A copy of {@code p} whose inline configuration includes the request's change. */
    public static ProxySQL apply(ProxySQL p, ReconfigureIntent intent) {
        ProxySQL target = Serialization.clone(p);
        target.getSpec().setConfiguration(target.getSpec().getConfiguration() == null ? new ProxySQLConfigurationSpec()
                : target.getSpec().getConfiguration());
        ProxySQLConfigurationSpec conf = target.getSpec().getConfiguration();
        if (conf.getInit() == null) {
            conf.setInit(new ProxySQLInitConfiguration());
        }
        ProxySQLConfiguration inline = conf.getInit().getInline();
        if (inline == null) {
            inline = p.getSpec().getInitConfig() == null ? new ProxySQLConfiguration() : Serialization.clone(p.getSpec().getInitConfig());
            conf.getInit().setInline(inline);
        }
        inline.setMysqlUsers(users(inline.getMysqlUsers(), intent));
        inline.setMysqlQueryRules(rules(inline.getMysqlQueryRules(), intent));
        inline.setMysqlVariables(variables(inline.getMysqlVariables(), intent, "mysql-"));
        inline.setAdminVariables(variables(inline.getAdminVariables(), intent, "admin-"));
        return target;
    }

    /** The inline block as a JSON merge patch of the ProxySQL ({@code {"spec":{"configuration":{"init":{"inline":...}}}}}). */
    public static String mergePatch(ProxySQL target) {
        Map<String, Object> inline = new LinkedHashMap<>(Serialization.jsonMapper().convertValue(
                target.getSpec().getConfiguration().getInit().getInline(), Map.class));
        // A list emptied by deletes is removed: in a merge patch only an explicit null removes a field.
        inline.putIfAbsent("mysqlUsers", null);
        inline.putIfAbsent("mysqlQueryRules", null);
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(
                    Map.of("spec", Map.of("configuration", Map.of("init", Map.of("inline", inline)))));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<MySQLUser> users(List<MySQLUser> current, ReconfigureIntent intent) {
        if (intent.users().isEmpty()) {
            return current;
        }
        Map<String, MySQLUser> byName = new LinkedHashMap<>();
        if (current != null) {
            current.forEach(u -> byName.put(u.getUsername(), u));
        }
        intent.users().forEach((name, cells) -> {
            switch (intent.usersType()) {
                case ADD -> byName.put(name, user(cells));
                case UPDATE -> {
                    Map<String, Object> merged = byName.containsKey(name)
                            ? new LinkedHashMap<>(Serialization.jsonMapper().convertValue(byName.get(name), Map.class)) : new LinkedHashMap<>();
                    merged.putAll(cells);
                    byName.put(name, user(merged));
                }
                case DELETE -> byName.remove(name);
            }
        });
        return byName.isEmpty() ? null : new ArrayList<>(byName.values());
    }

    private static MySQLUser user(Map<String, ?> cells) {
        return Serialization.jsonMapper().convertValue(cells, MySQLUser.class);
    }

    private static List<Map<String, Object>> rules(List<Map<String, Object>> current, ReconfigureIntent intent) {
        if (intent.rules().isEmpty()) {
            return current;
        }
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        if (current != null) {
            current.forEach(r -> byId.put(String.valueOf(ReconfigureIntent.scalar(r.get("rule_id")).orElse("")), r));
        }
        intent.rules().forEach((id, cells) -> {
            switch (intent.rulesType()) {
                case ADD -> byId.put(id, typed(cells));
                case UPDATE -> {
                    Map<String, Object> merged = new LinkedHashMap<>(byId.getOrDefault(id, Map.of()));
                    merged.putAll(typed(cells));
                    byId.put(id, merged);
                }
                case DELETE -> byId.remove(id);
            }
        });
        return byId.isEmpty() ? null : new ArrayList<>(byId.values());
    }

    /** Integer-looking cells as numbers, the way a user writes rules inline. */
    private static Map<String, Object> typed(Map<String, String> cells) {
        Map<String, Object> out = new LinkedHashMap<>();
        cells.forEach((k, v) -> out.put(k, v != null && v.matches("-?[0-9]{1,9}") ? (Object) Integer.valueOf(v) : v));
        return out;
    }

    private static Map<String, Object> variables(Map<String, Object> current, ReconfigureIntent intent, String prefix) {
        Map<String, Object> out = current == null ? new LinkedHashMap<>() : new LinkedHashMap<>(current);
        intent.variables().forEach((name, value) -> {
            if (name.startsWith(prefix)) {
                out.put(name.substring(prefix.length()), value.equals("true") || value.equals("false") ? (Object) Boolean.valueOf(value)
                        : value.matches("-?[0-9]{1,9}") ? (Object) Integer.valueOf(value) : value);
            }
        });
        return out.isEmpty() ? current : out;
    }
}
