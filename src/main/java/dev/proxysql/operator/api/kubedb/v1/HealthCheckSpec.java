package dev.proxysql.operator.api.kubedb.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** How often and how patiently the operator checks the ProxySQL (kmapi.HealthCheckSpec). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class HealthCheckSpec {
    @Default("10")
    @Min(1)
    private Integer periodSeconds;
    @Default("10")
    @Min(1)
    private Integer timeoutSeconds;
    @Default("1")
    @Min(1)
    private Integer failureThreshold;
    private Boolean disableWriteCheck;

    public Integer getPeriodSeconds() {
        return periodSeconds;
    }

    public void setPeriodSeconds(Integer periodSeconds) {
        this.periodSeconds = periodSeconds;
    }

    public Integer getTimeoutSeconds() {
        return timeoutSeconds;
    }

    public void setTimeoutSeconds(Integer timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    public Integer getFailureThreshold() {
        return failureThreshold;
    }

    public void setFailureThreshold(Integer failureThreshold) {
        this.failureThreshold = failureThreshold;
    }

    public Boolean getDisableWriteCheck() {
        return disableWriteCheck;
    }

    public void setDisableWriteCheck(Boolean disableWriteCheck) {
        this.disableWriteCheck = disableWriteCheck;
    }
}
