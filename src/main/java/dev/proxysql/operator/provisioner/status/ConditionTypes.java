package dev.proxysql.operator.provisioner.status;

import dev.proxysql.operator.topology.BackendModes;

/** KubeDB's condition types and reasons for a database object, (the pause conditions are in topology.PauseProtocol). */
public final class ConditionTypes {
    public static final String PROVISIONING_STARTED = "ProvisioningStarted";
    public static final String PROVISIONED = "Provisioned";
    public static final String REPLICA_READY = "ReplicaReady";
    public static final String ACCEPTING_CONNECTION = "AcceptingConnection";
    public static final String READY = "Ready";
    public static final String HALTED = "Halted";
    public static final String HEALTH_CHECK_PAUSED = "HealthCheckPaused";
    public static final String DEPENDENCY_READY = "DatabaseDependencyReady";
    /**
     * The operator's own: ProxySQL's monitor user exists on the backend with the {@code <name>-monitor} Secret's
     * password and the monitor's grants. Informational: it does not block provisioning and does not enter the phase.
     */
    public static final String MONITOR_USER_READY = "MonitorUserReady";
    /**
     * KubeDB's type: the users the ProxySQL declares ({@code configuration.init}) and, with {@code syncUsers}, the
     * backend's application users are in every pod's {@code mysql_users} with the backend's password hashes. False
     * names the users that are not (missing on the backend, colliding with ProxySQL's admin users) or the pod or
     * backend that could not be reached. Informational, like {@link #MONITOR_USER_READY}: not part of the phase.
     */
    public static final String INTERNAL_USERS_SYNCED = "InternalUsersSynced";
    /**
     * The operator's own: the backend mode proxysql.cnf is rendered in, as its reason (Standalone, Galera,
     * GroupReplication), with the evidence read from the backend in its message. True when read from the backend (now,
     * or before and kept while it cannot be read) or set by the override annotation; False while only the AppBinding's
     * type is known. Informational: not part of the phase.
     */
    public static final String BACKEND_MODE_DETECTED = BackendModes.CONDITION;

    private ConditionTypes() {
    }
}
