package dev.proxysql.operator.api.kubedb.v1;

import dev.proxysql.operator.api.common.FreeFormObject;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import java.util.List;
import java.util.Map;

/**
 * Initial ProxySQL configuration: rows for mysql_users and mysql_query_rules, and global variables. Query rules and
 * variables are free-form (ProxySQL column and variable names), as in KubeDB.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxySQLConfiguration {
    private List<MySQLUser> mysqlUsers;
    @SchemaFrom(type = FreeFormObject[].class)
    private List<Map<String, Object>> mysqlQueryRules;
    @SchemaFrom(type = FreeFormObject.class)
    private Map<String, Object> mysqlVariables;
    @SchemaFrom(type = FreeFormObject.class)
    private Map<String, Object> adminVariables;

    public List<MySQLUser> getMysqlUsers() {
        return mysqlUsers;
    }

    public void setMysqlUsers(List<MySQLUser> mysqlUsers) {
        this.mysqlUsers = mysqlUsers;
    }

    public List<Map<String, Object>> getMysqlQueryRules() {
        return mysqlQueryRules;
    }

    public void setMysqlQueryRules(List<Map<String, Object>> mysqlQueryRules) {
        this.mysqlQueryRules = mysqlQueryRules;
    }

    public Map<String, Object> getMysqlVariables() {
        return mysqlVariables;
    }

    public void setMysqlVariables(Map<String, Object> mysqlVariables) {
        this.mysqlVariables = mysqlVariables;
    }

    public Map<String, Object> getAdminVariables() {
        return adminVariables;
    }

    public void setAdminVariables(Map<String, Object> adminVariables) {
        this.adminVariables = adminVariables;
    }
}
