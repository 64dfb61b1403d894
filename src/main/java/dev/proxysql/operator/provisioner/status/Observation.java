package dev.proxysql.operator.provisioner.status;

import dev.proxysql.operator.api.common.Condition;
import java.util.List;
import java.util.Optional;

/**
 * What the provisioner saw for one ProxySQL in one reconcile: everything the status is computed from.
 *
 * @param generation      metadata.generation of the ProxySQL
 * @param previous        the conditions currently in status (all writers')
 * @param dependency      why the ProxySQL cannot be provisioned (a missing or unusable reference), if so
 * @param halted          spec.halted
 * @param paused          the Paused condition is True
 * @param statefulSet     the StatefulSet's replica counts, when it exists
 * @param health          whether ProxySQL accepts connections, when it could be judged
 * @param monitorUser     whether the monitor user is ensured on the backend, when it was judged this time
 * @param users           whether declared and synced users are in every pod's mysql_users: {@link Users#NONE} when
 *                        the ProxySQL has no such users
 * @param backendMode     the backend mode in use and its evidence, when decided anew this time (empty keeps the
 *                        previous condition)
 */
public record Observation(long generation, List<Condition> previous, Optional<Problem> dependency, boolean halted,
                          boolean paused, Optional<Replicas> statefulSet, Optional<Health> health,
                          Optional<Check> monitorUser, Users users, Optional<Check> backendMode) {

    /** Without a backend mode judged this time (the previous condition stays). */
    public Observation(long generation, List<Condition> previous, Optional<Problem> dependency, boolean halted,
                       boolean paused, Optional<Replicas> statefulSet, Optional<Health> health, Optional<Check> monitorUser,
                       Users users) {
        this(generation, previous, dependency, halted, paused, statefulSet, health, monitorUser, users, Optional.empty());
    }

    /** Without users to put into ProxySQL. */
    public Observation(long generation, List<Condition> previous, Optional<Problem> dependency, boolean halted,
                       boolean paused, Optional<Replicas> statefulSet, Optional<Health> health, Optional<Check> monitorUser) {
        this(generation, previous, dependency, halted, paused, statefulSet, health, monitorUser, Users.NONE, Optional.empty());
    }

    /**
     * {@code wanted}: the ProxySQL declares users or sets syncUsers (else the condition goes); {@code check}: the
     * outcome when judged this time (empty keeps the previous condition: paused, halted, not reached yet).
     */
    public record Users(boolean wanted, Optional<Check> check) {
        public static final Users NONE = new Users(false, Optional.empty());
    }

    /** A reason (CamelCase) and a message a person can act on. */
    public record Problem(String reason, String message) {
    }

    /** Desired and ready pods of the StatefulSet. */
    public record Replicas(int desired, int ready) {
        public boolean allReady() {
            return ready >= desired;
        }
    }

    /** The outcome of a check that is either fine or not, with a reason (CamelCase) and a message. */
    public record Check(boolean ok, String reason, String message) {
    }

    /** The outcome of the connection check. */
    public record Health(boolean accepting, String reason, String message) {
    }
}
