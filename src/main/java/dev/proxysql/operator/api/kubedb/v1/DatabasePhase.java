package dev.proxysql.operator.api.kubedb.v1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** KubeDB's DatabasePhase. */
public enum DatabasePhase {
    @JsonProperty("Provisioning") PROVISIONING,
    @JsonProperty("DataRestoring") DATA_RESTORING,
    @JsonProperty("Ready") READY,
    @JsonProperty("Critical") CRITICAL,
    @JsonProperty("NotReady") NOT_READY,
    @JsonProperty("Halted") HALTED,
    @JsonProperty("Unknown") UNKNOWN
}
