package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** KubeDB's OpsRequestPhase. */
public enum OpsRequestPhase {
    @JsonProperty("Pending") PENDING,
    @JsonProperty("Progressing") PROGRESSING,
    @JsonProperty("Successful") SUCCESSFUL,
    @JsonProperty("WaitingForApproval") WAITING_FOR_APPROVAL,
    @JsonProperty("Failed") FAILED,
    @JsonProperty("Approved") APPROVED,
    @JsonProperty("Denied") DENIED,
    @JsonProperty("Skipped") SKIPPED;

    /** Whether nothing more will happen to a request in this phase. */
    public boolean isFinal() {
        return this == SUCCESSFUL || this == FAILED || this == DENIED || this == SKIPPED;
    }
}
