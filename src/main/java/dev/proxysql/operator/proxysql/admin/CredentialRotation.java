package dev.proxysql.operator.proxysql.admin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to change the cluster/admin pair of a running ProxySQL Cluster through the admin interface, node by node,
 * without ever locking the operator or the Cluster out. Pure: the states and the variables each one writes.
 *
 * <p>What ProxySQL does, from its source (2.6/2.7 {@code lib/ProxySQL_Admin.cpp}, {@code MySQL_Authentication.cpp},
 * {@code ProxySQL_Cluster.cpp}) and pinned on real ProxySQL by {@code CredentialRotationOnProxySqlIT}:
 * <ul>
 *   <li>{@code admin-admin_credentials} is a {@code ;}-list of {@code user:password}; each pair is added to an
 *       authentication map keyed by the <b>username</b>, so a username given twice keeps only its last password: one
 *       username cannot accept an old and a new password at once.</li>
 *   <li>a node pulls from a peer logging in with its <b>own</b> {@code admin-cluster_username/password}, which the peer
 *       must accept in its {@code admin-admin_credentials}.</li>
 *   <li>the {@code admin_variables} module is itself synced by the Cluster (all {@code admin-} variables except the
 *       interfaces, credentials included): a pair loaded on one node reaches every peer that can still log in to it.</li>
 * </ul>
 * So a node cannot jump from the old pair to the new one while its peers keep the old: the nodes would refuse each
 * other. The rotation goes through a <b>bridge</b> user (a second username, with the new password) in five steps; any
 * two neighbouring states accept each other's cluster login, so nodes one step apart still sync, and the operator
 * always has a pair that every node of two neighbouring states accepts ({@link #login}):
 *
 * <pre>
 * state  admin_credentials (besides admin:admin)   cluster_username:password
 *   0    cluster:OLD                               cluster:OLD        (before)
 *   1    cluster:OLD; bridge:NEW                   cluster:OLD
 *   2    cluster:OLD; bridge:NEW                   bridge:NEW
 *   3    cluster:NEW; bridge:NEW                   bridge:NEW
 *   4    cluster:NEW; bridge:NEW                   cluster:NEW
 *   5    cluster:NEW                               cluster:NEW        (after)
 * </pre>
 * Every node is brought to state k before any is brought to k+1. A rollback walks the same states back down to 0 (the
 * neighbour relation is symmetric). The local {@code admin} pair is kept first in every state: it is the image's and the
 * exporter's login and cannot be used remotely.
 */
public final class CredentialRotation {
    /** The bridge username: not KubeDB's {@code cluster}, and not a MySQL user name one would choose (see admission). */
    public static final String BRIDGE_USER = "cluster_rotating";
    public static final int FIRST = 0;
    public static final int LAST = 5;
    public static final String ADMIN_CREDENTIALS = "admin-admin_credentials";
    public static final String CLUSTER_USERNAME = "admin-cluster_username";
    public static final String CLUSTER_PASSWORD = "admin-cluster_password";

    private final String localAdmin;
    private final AdminCredentials from;
    private final AdminCredentials to;
    private final AdminCredentials bridge;

    /** {@code localAdmin}: the local-only pair kept first, e.g. {@code admin:admin}. */
    public CredentialRotation(String localAdmin, AdminCredentials from, AdminCredentials to) {
        this.localAdmin = Objects.requireNonNull(localAdmin);
        this.from = Objects.requireNonNull(from);
        this.to = Objects.requireNonNull(to);
        if (from.username().equals(BRIDGE_USER) || to.username().equals(BRIDGE_USER)) {
            throw new IllegalArgumentException("the cluster user may not be named " + BRIDGE_USER);
        }
        this.bridge = new AdminCredentials(BRIDGE_USER, to.password());
    }

    /** The three admin variables a node has in {@code state} (0..5). */
    public Map<String, String> variables(int state) {
        if (state < FIRST || state > LAST) {
            throw new IllegalArgumentException("no rotation state " + state);
        }
        List<AdminCredentials> accepted = new ArrayList<>();
        accepted.add(state <= 2 ? from : to);
        if (state >= 1 && state <= 4) {
            accepted.add(bridge);
        }
        AdminCredentials cluster = state <= 1 ? from : state <= 3 ? bridge : to;
        StringBuilder credentials = new StringBuilder(localAdmin);
        for (AdminCredentials c : accepted) {
            credentials.append(';').append(c.username()).append(':').append(c.password());
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put(ADMIN_CREDENTIALS, credentials.toString());
        out.put(CLUSTER_USERNAME, cluster.username());
        out.put(CLUSTER_PASSWORD, cluster.password());
        return out;
    }

    /** The state whose variables these are (a node's current ones), or -1 if none: the node was changed by someone else. */
    public int stateOf(Map<String, String> current) {
        for (int s = FIRST; s <= LAST; s++) {
            Map<String, String> expected = variables(s);
            if (expected.entrySet().stream().allMatch(e -> e.getValue().equals(current.get(e.getKey())))) {
                return s;
            }
        }
        return -1;
    }

    /**
     * The pair to log in with on a node in state {@code a} that is being moved to state {@code b}, or may be in either:
     * one both accept. States 0 to 2 accept the old pair, 1 to 4 the bridge, 3 to 5 the new pair; a node brought back
     * to where the others are (after a restart) may move more than one state in one write.
     */
    public AdminCredentials login(int a, int b) {
        int low = Math.min(a, b);
        int high = Math.max(a, b);
        if (high <= 2) {
            return from;
        }
        if (low >= 3) {
            return to;
        }
        if (low >= 1 && high <= 4) {
            return bridge;
        }
        throw new IllegalArgumentException("no pair logs in on both rotation states " + a + " and " + b);
    }

    /** Every pair some state accepts, newest first: what to try on a node whose state is not known (after a restart). */
    public List<AdminCredentials> candidates() {
        return List.of(to, bridge, from);
    }

    /** Whether {@code pair} logs in on a node in {@code state}. */
    public boolean accepts(int state, AdminCredentials pair) {
        String credentials = variables(state).get(ADMIN_CREDENTIALS);
        String wanted = pair.username() + ":" + pair.password();
        for (String token : credentials.split(";")) {
            // A username given twice keeps its last password (see the class comment), so the last match decides.
            if (token.startsWith(pair.username() + ":")) {
                if (token.equals(wanted)) {
                    return !laterPasswordFor(credentials, pair.username(), token);
                }
            }
        }
        return false;
    }

    private static boolean laterPasswordFor(String credentials, String username, String token) {
        String[] tokens = credentials.split(";");
        String last = null;
        for (String t : tokens) {
            if (t.startsWith(username + ":")) {
                last = t;
            }
        }
        return !token.equals(last);
    }
}
