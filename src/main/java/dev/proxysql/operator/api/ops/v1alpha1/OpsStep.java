package dev.proxysql.operator.api.ops.v1alpha1;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where an ops request is in its state machine. Persisted in {@code status.progress.step}, so an operator that
 * restarts continues from here; every step is written before its side effects are made and is safe to repeat.
 */
public enum OpsStep {
    /** Waiting for earlier requests on the same ProxySQL, or for it to be Ready (apply: IfReady). */
    @JsonProperty("Queued") QUEUED,
    /** Paused condition set on the ProxySQL; waiting for the provisioner's acknowledgement. */
    @JsonProperty("Pausing") PAUSING,
    /** Moving the StatefulSet's pod template to the new images (or other template change). */
    @JsonProperty("UpdatingStatefulSet") UPDATING_STATEFUL_SET,
    /** Replacing pods one at a time, with checks after each. */
    @JsonProperty("ReplacingPods") REPLACING_PODS,
    /** Writing the new spec (e.g. spec.version) to the ProxySQL. */
    @JsonProperty("UpdatingDatabase") UPDATING_DATABASE,
    /** Reconfigure: writing the change through each pod's admin interface, one pod at a time, checked after each. */
    @JsonProperty("ReconfiguringPods") RECONFIGURING_PODS,
    /** Reconfigure: putting the previous values back on the pods already changed, after a failure. */
    @JsonProperty("RollingBackReconfigure") ROLLING_BACK_RECONFIGURE,
    /**
     * ReconfigureTLS rotateCertificates: a new server certificate is issued, then each pod, one at a time, is told to
     * PROXYSQL RELOAD TLS until it serves the new serial; no pod is replaced.
     */
    @JsonProperty("RotatingCertificates") ROTATING_CERTIFICATES,
    /**
     * RotateAuth: moving every pod's admin credentials through the rotation's states (old pair, bridge, new pair)
     * through its admin interface, one pod and one state at a time; no pod is replaced.
     */
    @JsonProperty("RotatingAuth") ROTATING_AUTH,
    /** RotateAuth: walking the pods already changed back to the previous pair, after a failure. */
    @JsonProperty("RollingBackAuth") ROLLING_BACK_AUTH,
    /** Putting back the previous pod template after a failure. */
    @JsonProperty("RollingBackStatefulSet") ROLLING_BACK_STATEFUL_SET,
    /** Replacing already-moved pods back, one at a time, with the same checks. */
    @JsonProperty("RollingBackPods") ROLLING_BACK_PODS,
    /** Removing the Paused condition; the outcome is already decided. */
    @JsonProperty("Resuming") RESUMING,
    /** HorizontalScaling: adding or removing ProxySQL Cluster members, one pod at a time, with checks after each. */
    @JsonProperty("ScalingMembers") SCALING_MEMBERS,
    /** HorizontalScaling after a failure: back to the original member count, one pod at a time. */
    @JsonProperty("RollingBackMembers") ROLLING_BACK_MEMBERS,
    /** Nothing more to do: phase is final. */
    @JsonProperty("Done") DONE
}
