package dev.proxysql.operator.provisioner.status;

/** KubeDB's condition types and reasons for a database object, plus the provisioner's pause acknowledgement. */
public final class ConditionTypes {
    public static final String PROVISIONING_STARTED = "ProvisioningStarted";
    public static final String PROVISIONED = "Provisioned";
    public static final String REPLICA_READY = "ReplicaReady";
    public static final String ACCEPTING_CONNECTION = "AcceptingConnection";
    public static final String READY = "Ready";
    public static final String HALTED = "Halted";
    public static final String PAUSED = "Paused";
    public static final String HEALTH_CHECK_PAUSED = "HealthCheckPaused";
    public static final String DEPENDENCY_READY = "DatabaseDependencyReady";
    /**
     * The operator's own: ProxySQL's monitor user exists on the backend with the {@code <name>-monitor} Secret's
     * password and the monitor's grants. Informational: it does not block provisioning and does not enter the phase.
     */
    public static final String MONITOR_USER_READY = "MonitorUserReady";
    /**
     * Set by the provisioner once it has seen {@code Paused}: from then on it writes no child object until the pause
     * ends. The ops manager waits for it before touching the StatefulSet, so a provisioner reconcile that started
     * before the pause cannot undo the ops manager's first change.
     */
    public static final String PROVISIONER_PAUSED = "ProvisionerPaused";

    private ConditionTypes() {
    }
}
