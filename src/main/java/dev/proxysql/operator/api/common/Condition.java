package dev.proxysql.operator.api.common;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.Pattern;

/**
 * A status condition with KubeDB's shape (kmapi.Condition): the standard Kubernetes fields plus {@code severity}.
 * {@code lastTransitionTime} changes only when {@code status} changes; see {@code Conditions} for the helpers that
 * keep that rule.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Condition {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";
    /** The API's bounds on a condition (the CRDs' schema, as in metav1.Condition): characters of type, reason, message. */
    public static final int MAX_TYPE = 316;
    public static final int MAX_REASON = 1024;
    public static final int MAX_MESSAGE = 32768;

    @Required
    @Size(max = MAX_TYPE)
    private String type;
    @Required
    @Pattern("^(True|False|Unknown)$")
    private String status;
    private Long observedGeneration;
    @Required
    private String lastTransitionTime;
    @Size(max = MAX_REASON)
    private String reason;
    @Size(max = MAX_MESSAGE)
    private String message;
    /** Info, Warning or Error, as KubeDB uses it for conditions that are False. */
    private String severity;

    public Condition() {
    }

    public Condition(String type, String status, String reason, String message) {
        this.type = type;
        this.status = status;
        this.reason = reason;
        this.message = message;
    }

    @JsonIgnore
    public boolean isTrue() {
        return TRUE.equals(status);
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getLastTransitionTime() {
        return lastTransitionTime;
    }

    public void setLastTransitionTime(String lastTransitionTime) {
        this.lastTransitionTime = lastTransitionTime;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getSeverity() {
        return severity;
    }

    public void setSeverity(String severity) {
        this.severity = severity;
    }
}
