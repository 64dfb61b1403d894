package dev.proxysql.operator.api.kubedb.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Configuration applied once, at initial deployment. {@code inline} takes precedence over {@code secretName}; the
 * Secret may hold AdminVariables.cnf, MySQLVariables.cnf, MySQLUsers.cnf and MySQLQueryRules.cnf fragments.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxySQLInitConfiguration {
    private ProxySQLConfiguration inline;
    private String secretName;

    public ProxySQLConfiguration getInline() {
        return inline;
    }

    public void setInline(ProxySQLConfiguration inline) {
        this.inline = inline;
    }

    public String getSecretName() {
        return secretName;
    }

    public void setSecretName(String secretName) {
        this.secretName = secretName;
    }
}
