package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The operation an ops request asks for (KubeDB's ProxySQLOpsRequestType). */
public enum OpsRequestType {
    @JsonProperty("UpdateVersion") UPDATE_VERSION,
    @JsonProperty("HorizontalScaling") HORIZONTAL_SCALING,
    @JsonProperty("VerticalScaling") VERTICAL_SCALING,
    @JsonProperty("Restart") RESTART,
    @JsonProperty("Reconfigure") RECONFIGURE,
    @JsonProperty("ReconfigureTLS") RECONFIGURE_TLS,
    @JsonProperty("RotateAuth") ROTATE_AUTH
}
