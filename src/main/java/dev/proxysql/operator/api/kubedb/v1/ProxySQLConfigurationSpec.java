package dev.proxysql.operator.api.kubedb.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Wrapper of the initial configuration (KubeDB's ProxySQLConfigurationSpec). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ProxySQLConfigurationSpec {
    private ProxySQLInitConfiguration init;

    public ProxySQLInitConfiguration getInit() {
        return init;
    }

    public void setInit(ProxySQLInitConfiguration init) {
        this.init = init;
    }
}
