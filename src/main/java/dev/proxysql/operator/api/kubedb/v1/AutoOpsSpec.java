package dev.proxysql.operator.api.kubedb.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Switch for KubeDB's recommendation engine; accepted and kept, not acted on. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AutoOpsSpec {
    private Boolean disabled;

    public Boolean getDisabled() {
        return disabled;
    }

    public void setDisabled(Boolean disabled) {
        this.disabled = disabled;
    }
}
