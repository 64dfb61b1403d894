package dev.proxysql.operator.provisioner;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.provisioner.status.Observation.Check;
import dev.proxysql.operator.provisioner.status.Observation.Problem;
import dev.proxysql.operator.proxysql.backend.BackendModeObservation;
import dev.proxysql.operator.proxysql.backend.BackendModeObservation.GroupMember;
import dev.proxysql.operator.proxysql.backend.BackendModeReading;
import dev.proxysql.operator.proxysql.config.BackendMode;
import dev.proxysql.operator.topology.BackendModes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The backend mode, decided: pure functions over what was read, so that every branch is a unit test.
 * <ul>
 *   <li>{@link #detect}: what the server itself says. Galera when {@code wsrep_on=ON} with a provider loaded; else
 *       Group Replication when the {@code group_replication} plugin is ACTIVE and
 *       {@code replication_group_members} lists a member; else a single server.</li>
 *   <li>{@link #decide}: what is rendered. A valid override annotation wins; else what was read now; else, when the
 *       backend cannot be read, the mode read before (never another one on an error); else the AppBinding's hint.</li>
 * </ul>
 * The condition's reason is always the mode in use; it is True when that mode was read from the backend (now or
 * before) or set by the annotation, False while only the hint is known.
 */
final class BackendModeDecision {
    static final String INVALID_OVERRIDE = "InvalidBackendMode";
    /** Separates the "could not be read now" part of a kept condition's message from the earlier evidence. */
    static final String FROM_LAST_READ = " from the last read: ";
    private static final String READ_FROM = "Read from backend ";

    private BackendModeDecision() {
    }

    /** A mode and the facts that led to it, e.g. "wsrep_on=ON, wsrep_provider=..., wsrep_cluster_size=3". */
    record Detection(BackendMode mode, String evidence) {
    }

    /**
     * What to render and report. {@code problem}: the override annotation is invalid (nothing is changed);
     * {@code check}: the condition, its reason the mode's name.
     */
    record Decision(Optional<Problem> problem, BackendMode mode, Optional<Check> check) {
        static Decision of(BackendMode mode, boolean ok, String message) {
            return new Decision(Optional.empty(), mode, Optional.of(new Check(ok, BackendModes.name(mode), message)));
        }
    }

    static Detection detect(BackendModeObservation o) {
        boolean wsrepOn = "ON".equalsIgnoreCase(trim(o.wsrepOn())) || "1".equals(trim(o.wsrepOn()));
        boolean providerLoaded = o.wsrepProvider() != null && !o.wsrepProvider().isBlank()
                && !"none".equalsIgnoreCase(o.wsrepProvider().trim());
        if (wsrepOn && providerLoaded) {
            List<String> facts = new ArrayList<>(List.of("wsrep_on=" + o.wsrepOn(), "wsrep_provider=" + o.wsrepProvider()));
            facts.add("wsrep_cluster_size=" + (o.wsrepClusterSize() == null ? "unknown" : o.wsrepClusterSize()));
            if (o.wsrepClusterStatus() != null) {
                facts.add("wsrep_cluster_status=" + o.wsrepClusterStatus());
            }
            if (o.pxcMaintMode() != null) {
                facts.add("pxc_maint_mode=" + o.pxcMaintMode() + " (Percona XtraDB Cluster)");
            }
            return new Detection(BackendMode.GALERA, String.join(", ", facts));
        }
        String wsrep = o.wsrepOn() == null ? "no wsrep_on variable" : "wsrep_on=" + o.wsrepOn()
                + (wsrepOn ? " but wsrep_provider=" + o.wsrepProvider() : "");
        boolean groupActive = "ACTIVE".equalsIgnoreCase(trim(o.groupReplicationPlugin()));
        if (groupActive && !o.groupMembers().isEmpty()) {
            return new Detection(BackendMode.GROUP_REPLICATION, "group_replication plugin ACTIVE, "
                    + o.groupMembers().size() + " member(s) in performance_schema.replication_group_members ("
                    + members(o.groupMembers()) + "), " + wsrep);
        }
        String group = o.groupReplicationPlugin() == null ? "no group_replication plugin"
                : "group_replication plugin " + o.groupReplicationPlugin()
                + (groupActive ? " but no member in performance_schema.replication_group_members" : "");
        return new Detection(BackendMode.STANDALONE, wsrep + ", " + group);
    }

    /**
     * @param override the annotation's raw value, when set
     * @param reading  what was read this time; empty when the backend was not asked (not due, paused)
     * @param previous the condition currently in status
     * @param hint     the AppBinding type's mode ({@link BackendModes#hint}) and {@code bindingType} its type, for messages
     */
    static Decision decide(Optional<String> override, Optional<BackendModeReading> reading, Optional<Condition> previous,
                           BackendMode hint, String bindingType) {
        Optional<BackendMode> overridden = override.flatMap(BackendModes::parse);
        if (override.isPresent() && overridden.isEmpty()) {
            return new Decision(Optional.of(new Problem(INVALID_OVERRIDE, "metadata.annotations[" + BackendModes.OVERRIDE_ANNOTATION
                    + "]: '" + override.get() + "' is not a backend mode; use " + BackendModes.allNames()
                    + " (or remove the annotation to have the mode read from the backend)")), hint, Optional.empty());
        }
        Optional<BackendMode> recorded = previous.flatMap(c -> BackendModes.parse(c.getReason()));
        if (reading.isEmpty()) {
            // Not asked this time: the condition stays as it is.
            return new Decision(Optional.empty(), overridden.or(() -> recorded).orElse(hint), Optional.empty());
        }
        BackendModeReading r = reading.get();
        Optional<Detection> detected = r.observation().map(BackendModeDecision::detect);
        if (overridden.isPresent()) {
            String backendSays = detected.map(d -> "the backend " + r.backend() + " reads as " + BackendModes.name(d.mode())
                    + " (" + d.evidence() + ")").orElseGet(() -> "the backend could not be read: " + r.message());
            return Decision.of(overridden.get(), true, "Set by the annotation " + BackendModes.OVERRIDE_ANNOTATION + "="
                    + override.get().trim() + "; " + backendSays + ".");
        }
        if (detected.isPresent()) {
            BackendMode mode = detected.get().mode();
            String message = READ_FROM + r.backend() + ": " + detected.get().evidence() + ".";
            boolean readBefore = previous.map(Condition::isTrue).orElse(false);
            if (readBefore && recorded.isPresent() && recorded.get() != mode) {
                message += " Changed from " + BackendModes.name(recorded.get()) + ": proxysql.cnf is rendered anew; running pods"
                        + " keep the mode they started with until they are replaced (a Restart ops request).";
            }
            return Decision.of(mode, true, message);
        }
        boolean readBefore = previous.map(Condition::isTrue).orElse(false) && recorded.isPresent();
        if (readBefore) {
            String earlier = previous.get().getMessage() == null ? "" : previous.get().getMessage();
            int kept = earlier.indexOf(FROM_LAST_READ);
            String evidence = kept >= 0 ? earlier.substring(kept + FROM_LAST_READ.length()) : earlier;
            return Decision.of(recorded.get(), true, "The backend could not be read now (" + r.message() + "); keeping "
                    + BackendModes.name(recorded.get()) + FROM_LAST_READ + evidence);
        }
        return Decision.of(hint, false, "The backend could not be read yet (" + r.message() + "); rendering "
                + BackendModes.name(hint) + ", what the AppBinding's type '" + bindingType + "' suggests, until it can be read.");
    }

    private static String members(List<GroupMember> members) {
        Map<String, Long> counts = members.stream().collect(Collectors.groupingBy(
                m -> (m.state() == null ? "?" : m.state()) + (m.role() == null || m.role().isBlank() ? "" : " " + m.role()),
                TreeMap::new, Collectors.counting()));
        return counts.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    private static String trim(String s) {
        return s == null ? null : s.trim().toUpperCase(Locale.ROOT);
    }
}
