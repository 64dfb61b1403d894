package dev.proxysql.operator.api.ops.v1alpha1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.proxysql.operator.api.kubedb.v1.MySQLUser;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import io.fabric8.generator.annotation.Size;

/** Changes to apply to a running ProxySQL through its admin interface (Reconfigure). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReconfigurationSpec {
    /*
     * Bounds, so that a Reconfigure fits its own object: the status keeps the previous value of every changed variable,
     * user and rule for a rollback, next to the spec, and an object holds about 1.5 MiB. At these maxima the spec's
     * configuration is at most ~350 KB, and so is what the status keeps.
     */
    /** Variables per map (adminVariables, mysqlVariables). */
    public static final int MAX_VARIABLES = 64;
    /** Users in one request. */
    public static final int MAX_USERS = 32;
    /** Query rules in one request. */
    public static final int MAX_RULES = 32;
    /** Characters of one variable's value. */
    public static final int MAX_VALUE_LENGTH = 1024;
    /** Characters of one query rule: its columns' names and values together. */
    public static final int MAX_RULE_LENGTH = 4096;

    /** What to do with the listed rows. */
    public enum RequestType {
        @JsonProperty("add") ADD,
        @JsonProperty("delete") DELETE,
        @JsonProperty("update") UPDATE
    }

    private MySQLUsers mysqlUsers;
    private MySQLQueryRules mysqlQueryRules;
    @SchemaFrom(type = FreeFormObject.class)
    @Size(max = MAX_VARIABLES)
    private Map<String, Object> adminVariables;
    @SchemaFrom(type = FreeFormObject.class)
    @Size(max = MAX_VARIABLES)
    private Map<String, Object> mysqlVariables;

    /** Users to add, update or delete. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class MySQLUsers {
        @Size(max = MAX_USERS)
        private List<MySQLUser> users;
        private RequestType reqType;

        public List<MySQLUser> getUsers() {
            return users;
        }


        public void setUsers(List<MySQLUser> users) {
            this.users = users;
        }

        public RequestType getReqType() {
            return reqType;
        }


        public void setReqType(RequestType reqType) {
            this.reqType = reqType;
        }
    }

    /** Query rules to add, update or delete; each is identified by its rule_id. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class MySQLQueryRules {
        @SchemaFrom(type = QueryRuleSchema[].class)
        @Size(max = MAX_RULES)
        private List<Map<String, Object>> rules;
        private RequestType reqType;

        public List<Map<String, Object>> getRules() {
            return rules;
        }


        public void setRules(List<Map<String, Object>> rules) {
            this.rules = rules;
        }

        public RequestType getReqType() {
            return reqType;
        }


        public void setReqType(RequestType reqType) {
            this.reqType = reqType;
        }
    }

    public MySQLUsers getMysqlUsers() {
        return mysqlUsers;
    }


    public void setMysqlUsers(MySQLUsers mysqlUsers) {
        this.mysqlUsers = mysqlUsers;
    }

    public MySQLQueryRules getMysqlQueryRules() {
        return mysqlQueryRules;
    }


    public void setMysqlQueryRules(MySQLQueryRules mysqlQueryRules) {
        this.mysqlQueryRules = mysqlQueryRules;
    }

    public Map<String, Object> getAdminVariables() {
        return adminVariables;
    }


    public void setAdminVariables(Map<String, Object> adminVariables) {
        this.adminVariables = adminVariables;
    }

    public Map<String, Object> getMysqlVariables() {
        return mysqlVariables;
    }


    public void setMysqlVariables(Map<String, Object> mysqlVariables) {
        this.mysqlVariables = mysqlVariables;
    }

    /**
     * What the CRD's schema cannot check (the values of free-form maps are invisible to its rules): the length of each
     * variable's value and of each query rule, naming the first field over its bound; empty when all fit. Checked at
     * admission by the webhook.
     */
    public Optional<String> sizeProblem() {
        for (var vars : List.of(Map.entry("adminVariables", nonNull(adminVariables)), Map.entry("mysqlVariables", nonNull(mysqlVariables)))) {
            for (Map.Entry<String, Object> v : vars.getValue().entrySet()) {
                int length = String.valueOf(v.getValue()).length();
                if (length > MAX_VALUE_LENGTH) {
                    return Optional.of("spec.configuration." + vars.getKey() + "." + v.getKey() + ": a value of " + length
                            + " characters; at most " + MAX_VALUE_LENGTH + " (the previous value is kept in status for a rollback)");
                }
            }
        }
        List<Map<String, Object>> ruleList = mysqlQueryRules == null || mysqlQueryRules.getRules() == null ? List.of() : mysqlQueryRules.getRules();
        for (int i = 0; i < ruleList.size(); i++) {
            int length = 0;
            for (Map.Entry<String, Object> column : nonNull(ruleList.get(i)).entrySet()) {
                length += column.getKey().length() + String.valueOf(column.getValue()).length();
            }
            if (length > MAX_RULE_LENGTH) {
                return Optional.of("spec.configuration.mysqlQueryRules.rules[" + i + "]: " + length + " characters of column names and"
                        + " values; at most " + MAX_RULE_LENGTH + " (the previous rule is kept in status for a rollback)");
            }
        }
        return Optional.empty();
    }

    private static Map<String, Object> nonNull(Map<String, Object> m) {
        return m == null ? Map.of() : m;
    }
}
