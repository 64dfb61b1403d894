package dev.proxysql.operator.opsmanager.reconfigure;

import dev.proxysql.operator.api.ops.v1alpha1.ReconfigurationSpec.RequestType;
import dev.proxysql.operator.api.ops.v1alpha1.ReconfigureProgress;
import dev.proxysql.operator.proxysql.admin.ConfigChange;
import dev.proxysql.operator.proxysql.config.CredentialVariables;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pure part of a Reconfigure: the change each pod gets, the change that puts the previous values back, and which
 * pod is next. Passwords are inputs here (looked up by {@link PodReconfigurer} each time), never kept in the plan.
 */
public final class ReconfigurePlan {
    private ReconfigurePlan() {
    }

    /** The change the request makes, with each added or updated user's password hash from the backend. */
    public static ConfigChange forward(ReconfigureIntent intent, Map<String, String> hashes) {
        ConfigChange c = ConfigChange.empty();
        intent.users().forEach((user, cells) -> {
            switch (intent.usersType()) {
                case ADD -> {
                    Map<String, String> row = new LinkedHashMap<>(cells);
                    row.put("password", hashes.get(user));
                    c.putUsers().put(user, row);
                }
                case UPDATE -> {
                    Map<String, String> set = new LinkedHashMap<>(cells);
                    set.remove("username");
                    set.put("password", hashes.get(user));
                    c.setUsers().put(user, set);
                }
                case DELETE -> c.deleteUsers().add(user);
            }
        });
        intent.rules().forEach((id, cells) -> {
            switch (intent.rulesType()) {
                case ADD -> c.putRules().put(id, new LinkedHashMap<>(cells));
                case UPDATE -> {
                    Map<String, String> set = new LinkedHashMap<>(cells);
                    set.remove("rule_id");
                    if (!set.isEmpty()) {
                        c.setRules().put(id, set);
                    }
                }
                case DELETE -> c.deleteRules().add(id);
            }
        });
        c.variables().putAll(intent.variables());
        return c;
    }

    /** Users whose password the forward change needs from the backend. */
    public static List<String> usersNeedingPasswords(ReconfigureIntent intent) {
        return intent.usersType() == null || intent.usersType() == RequestType.DELETE ? List.of() : List.copyOf(intent.users().keySet());
    }

    /** Users the rollback writes whole again (they existed before): each needs its password. */
    public static List<String> usersToRecreate(ReconfigureProgress progress) {
        return progress.getPreviousUsers().entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    /**
     * The change that puts back what the pods had before: rows that did not exist are deleted, the others written
     * whole again (a user with {@code passwords}' entry), variables set to their previous values; a credential
     * variable, recorded in the progress as {@link CredentialVariables#MASK}, to its value in {@code credentials} (kept
     * out of the status, see {@link PreviousCredentials}).
     *
     * @throws IllegalArgumentException naming a credential variable whose previous value is not in {@code credentials}
     */
    public static ConfigChange rollback(ReconfigureProgress progress, Map<String, String> passwords, Map<String, String> credentials) {
        ConfigChange c = ConfigChange.empty();
        progress.getPreviousUsers().forEach((user, row) -> {
            if (row.isEmpty()) {
                c.deleteUsers().add(user);
            } else {
                Map<String, String> whole = new LinkedHashMap<>(row);
                whole.put("password", passwords.get(user));
                c.putUsers().put(user, whole);
            }
        });
        progress.getPreviousRules().forEach((id, row) -> {
            if (row.isEmpty()) {
                c.deleteRules().add(id);
            } else {
                c.putRules().put(id, new LinkedHashMap<>(row));
            }
        });
        progress.getPreviousVariables().forEach((name, value) -> {
            if (CredentialVariables.isCredential(name)) {
                if (!credentials.containsKey(name)) {
                    throw new IllegalArgumentException("the previous value of " + name + " is not kept");
                }
                c.variables().put(name, credentials.get(name));
            } else {
                c.variables().put(name, value);
            }
        });
        return c;
    }

    /** The first pod (in order) not yet Done. */
    public static Optional<String> nextToApply(ReconfigureProgress progress) {
        return inOrder(progress).stream().filter(pod -> !ReconfigureProgress.DONE.equals(progress.getPods().get(pod))).findFirst();
    }

    /**
     * The pods by ordinal: the API server gives a map's keys back sorted as text, which puts px-10 before px-2.
     */
    static List<String> inOrder(ReconfigureProgress progress) {
        return progress.getPods().keySet().stream().sorted(java.util.Comparator.comparingInt(ReconfigurePlan::ordinal)
                .thenComparing(java.util.Comparator.naturalOrder())).toList();
    }

    private static int ordinal(String pod) {
        String digits = pod.substring(pod.lastIndexOf('-') + 1);
        return digits.matches("[0-9]{1,9}") ? Integer.parseInt(digits) : Integer.MAX_VALUE;
    }

    /** The last pod (in order) the request wrote to, or was writing to, and has not put back yet. */
    public static Optional<String> nextToRollBack(ReconfigureProgress progress) {
        List<String> changed = new ArrayList<>();
        for (String pod : inOrder(progress)) {
            String state = progress.getPods().get(pod);
            if (ReconfigureProgress.APPLYING.equals(state) || ReconfigureProgress.DONE.equals(state)) {
                changed.add(pod);
            }
        }
        return changed.isEmpty() ? Optional.empty() : Optional.of(changed.get(changed.size() - 1));
    }

    /** The pods put back, for the Rollback condition. */
    public static List<String> rolledBack(ReconfigureProgress progress) {
        return inOrder(progress).stream().filter(pod -> ReconfigureProgress.ROLLED_BACK.equals(progress.getPods().get(pod))).toList();
    }

    /** The final message of a failed Reconfigure, once resumed. */
    public static String failureOutcome(String failure, boolean rolledBack, String rollbackFailure) {
        return failure + (rollbackFailure != null
                ? "; rollback also failed: " + rollbackFailure + "; the ProxySQL was resumed anyway"
                : rolledBack ? "; rolled back: the pods already changed have their previous values again, the ProxySQL's spec unchanged, ProxySQL resumed"
                : "; nothing was changed; ProxySQL resumed");
    }

    /** One line for events and conditions: what the change is about. */
    public static String describe(ReconfigureIntent intent) {
        List<String> parts = new ArrayList<>();
        if (!intent.users().isEmpty()) {
            parts.add(name(intent.usersType()) + " users " + intent.users().keySet());
        }
        if (!intent.rules().isEmpty()) {
            parts.add(name(intent.rulesType()) + " query rules " + intent.rules().keySet());
        }
        if (!intent.variables().isEmpty()) {
            // A credential's value (admin-stats_credentials) is shown as <redacted>: this line goes to Events and conditions.
            parts.add("set variables " + CredentialVariables.redacted(intent.variables()));
        }
        return String.join(", ", parts);
    }

    private static String name(RequestType t) {
        return t.name().toLowerCase(java.util.Locale.ROOT);
    }
}
