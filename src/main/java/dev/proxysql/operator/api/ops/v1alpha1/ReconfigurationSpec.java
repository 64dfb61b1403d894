package dev.proxysql.operator.api.ops.v1alpha1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.proxysql.operator.api.kubedb.v1.MySQLUser;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.List;
import java.util.Map;

/** Changes to apply to a running ProxySQL through its admin interface (Reconfigure). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReconfigurationSpec {
    /** What to do with the listed rows. */
    public enum RequestType {
        @JsonProperty("add") ADD,
        @JsonProperty("delete") DELETE,
        @JsonProperty("update") UPDATE
    }

    private MySQLUsers mysqlUsers;
    private MySQLQueryRules mysqlQueryRules;
    @SchemaFrom(type = FreeFormObject.class)
    private Map<String, Object> adminVariables;
    @SchemaFrom(type = FreeFormObject.class)
    private Map<String, Object> mysqlVariables;

    /** Users to add, update or delete. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public static class MySQLUsers {
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
}
