package dev.proxysql.operator.proxysql.admin;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Carries out a {@link CredentialRotation} on one node through its admin interface: which state the node is in
 * (logging in with whichever pair of the rotation it accepts, since a node may have moved on by itself: the Cluster
 * syncs admin variables), and one step to a neighbouring state ({@code LOAD ADMIN VARIABLES TO RUNTIME}, {@code SAVE
 * ADMIN VARIABLES TO DISK}, so a restarted node keeps it), then read back from the runtime.
 */
public final class CredentialRotator {
    private static final List<String> NAMES = List.of(CredentialRotation.ADMIN_CREDENTIALS, CredentialRotation.CLUSTER_USERNAME,
            CredentialRotation.CLUSTER_PASSWORD);
    private final CredentialRotation plan;
    private final AdminTimeouts timeouts;

    public CredentialRotator(CredentialRotation plan, AdminTimeouts timeouts) {
        this.plan = Objects.requireNonNull(plan);
        this.timeouts = Objects.requireNonNull(timeouts);
    }

    /** A node's state and the pair it let in with. */
    public record NodeState(int state, AdminCredentials login) {
    }

    /**
     * The node's state: the first pair of the rotation it accepts, and the state its runtime variables are in (-1: none
     * of the rotation's: changed by someone else). Empty when it refuses every pair. Throws when it cannot be reached.
     */
    public Optional<NodeState> state(AdminEndpoint endpoint) throws SQLException {
        for (AdminCredentials candidate : plan.candidates()) {
            try {
                Map<String, String> runtime = new ConfigTables(endpoint, candidate, timeouts).runtimeVariables(NAMES);
                return Optional.of(new NodeState(plan.stateOf(runtime), candidate));
            } catch (SQLException e) {
                if (FailureClassifier.kindOf(e, FailureClassifier.Phase.CONNECT) != AdminFailureKind.AUTHENTICATION_FAILED) {
                    throw e;
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Moves a node in state {@code from} to the neighbouring state {@code to}, logged in with the pair both accept, and
     * checks its runtime shows {@code to} (logged in with a pair {@code to} accepts). Idempotent: a node already in
     * {@code to} is written again with the same values.
     */
    public void step(AdminEndpoint endpoint, int from, int to) throws SQLException {
        AdminCredentials login = plan.login(from, to);
        ConfigChange change = ConfigChange.empty();
        change.variables().putAll(plan.variables(to));
        new ConfigTables(endpoint, login, timeouts).apply(change);
        Map<String, String> runtime = new ConfigTables(endpoint, plan.login(to, to), timeouts).runtimeVariables(NAMES);
        int now = plan.stateOf(runtime);
        if (now != to) {
            throw new SQLException(endpoint + ": after the write its runtime admin credentials are in rotation state " + now
                    + ", not " + to);
        }
    }
}
