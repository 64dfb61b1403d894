package dev.proxysql.operator.topology;

import dev.proxysql.operator.api.appcatalog.v1alpha1.AppBinding;
import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.proxysql.config.BackendMode;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Which backend mode a ProxySQL's {@code proxysql.cnf} is rendered in, as both controllers read it. The provisioner
 * decides it (from the backend server itself, see docs/provisioner.md) and records it as the reason of the
 * {@link #CONDITION} condition; whoever else renders the config Secret (the ops manager, for a HorizontalScaling)
 * follows that record, so the two never render different modes.
 *
 * <p>Order: the {@link #OVERRIDE_ANNOTATION} when it holds a valid mode, then the recorded condition, then the
 * AppBinding's type as a hint ({@link #hint}).
 */
public final class BackendModes {
    /**
     * The user's override. KubeDB removed {@code spec.mode} (2023) and offers no override since; an annotation keeps
     * the spec KubeDB's. Values as KubeDB spelled the mode ({@code LoadBalanceMode}: Galera, GroupReplication) and its
     * standalone label value.
     */
    public static final String OVERRIDE_ANNOTATION = "proxysql.dev/backend-mode";
    /** The provisioner's condition; its reason is the mode in use (a {@link #name} value). */
    public static final String CONDITION = "BackendModeDetected";

    private static final Map<BackendMode, String> NAMES = Map.of(
            BackendMode.STANDALONE, "Standalone",
            BackendMode.GALERA, "Galera",
            BackendMode.GROUP_REPLICATION, "GroupReplication");

    private BackendModes() {
    }

    /** KubeDB's spelling: Standalone, Galera, GroupReplication. */
    public static String name(BackendMode mode) {
        return NAMES.get(mode);
    }

    /** The mode a {@link #name} (case-insensitive) stands for, or empty. */
    public static Optional<BackendMode> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String wanted = text.trim();
        return Arrays.stream(BackendMode.values()).filter(m -> NAMES.get(m).equalsIgnoreCase(wanted)).findFirst();
    }

    /** For messages: "Standalone, Galera or GroupReplication". */
    public static String allNames() {
        return "Standalone, Galera or GroupReplication";
    }

    /** The annotation's raw value, when set. */
    public static Optional<String> overrideValue(ProxySQL p) {
        Map<String, String> annotations = p.getMetadata() == null ? null : p.getMetadata().getAnnotations();
        return Optional.ofNullable(annotations == null ? null : annotations.get(OVERRIDE_ANNOTATION));
    }

    /** The mode recorded by the provisioner's condition, when there is one. */
    public static Optional<BackendMode> recorded(ProxySQL p) {
        List<Condition> conditions = p.getStatus() == null ? null : p.getStatus().getConditions();
        if (conditions == null) {
            return Optional.empty();
        }
        return conditions.stream().filter(c -> CONDITION.equals(c.getType())).findFirst().flatMap(c -> parse(c.getReason()));
    }

    /** The mode to render without reading the backend: a valid override, else the recorded one, else the hint. */
    public static BackendMode inUse(ProxySQL p, AppBinding binding) {
        return overrideValue(p).flatMap(BackendModes::parse).or(() -> recorded(p)).orElseGet(() -> hint(binding));
    }

    /**
     * Only a hint, used until the backend has been read: KubeDB's own rule (its ProxySQL renders MariaDB and Percona
     * XtraDB as Galera, MySQL as Group Replication), any other type a single server. KubeDB uses the
     * {@code kubedb.com/mariadb} and {@code kubedb.com/mysql} types for standalone servers too, hence the reading.
     */
    public static BackendMode hint(AppBinding binding) {
        String type = binding == null || binding.getSpec() == null || binding.getSpec().getType() == null ? ""
                : binding.getSpec().getType().toLowerCase(Locale.ROOT);
        if (type.contains("mariadb") || type.contains("xtradb") || type.contains("galera")) {
            return BackendMode.GALERA;
        }
        if (type.contains("mysql")) {
            return BackendMode.GROUP_REPLICATION;
        }
        return BackendMode.STANDALONE;
    }
}
