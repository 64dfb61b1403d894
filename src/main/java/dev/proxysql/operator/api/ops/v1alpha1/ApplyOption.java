package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/** When an ops request may start: only on a Ready ProxySQL (default), or regardless. */
public enum ApplyOption {
    @JsonProperty("IfReady") IF_READY,
    @JsonProperty("Always") ALWAYS
}
