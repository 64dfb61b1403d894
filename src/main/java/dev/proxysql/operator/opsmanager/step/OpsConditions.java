package dev.proxysql.operator.opsmanager.step;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.kube.Conditions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * How a condition is set on a request ({@link ConditionType} and {@link PodConditionType} name them, as KubeDB does),
 * and the bounds that keep {@code status.conditions} within what the API accepts whatever the number of pods.
 *
 * <p>KubeDB writes one condition per pod and step ({@code EvictPod--px-1}); on a ProxySQL of 40 pods and more that
 * passes the API's 64 conditions, every later status write is refused, and the request could neither finish nor
 * resume its ProxySQL. So a request keeps at most {@link #MAX_POD_CONDITIONS} per-pod conditions: the most recently
 * written ones, a failed one (reason {@code ...Failed}) kept in preference to the others. Small ProxySQLs keep every
 * pod's conditions as KubeDB shows them; on big ones, the per-pod record of every pod is in {@code status.progress}
 * (the rolling engine's {@code pods}, a Reconfigure's or a TLS rotation's {@code pods}) and in the Events.
 */
public final class OpsConditions {
    /**
     * The per-pod conditions a request keeps: with every one of the {@link ConditionType}s (26, more than any one
     * request writes) they stay under {@link OpsRequestStatus#MAX_CONDITIONS}. 24 holds a rolling replacement's two
     * conditions per pod for 12 pods, or a ReconfigureTLS's three for 8.
     */
    public static final int MAX_POD_CONDITIONS = 24;

    private OpsConditions() {
    }

    /** Sets (or replaces) a condition, keeping its lastTransitionTime when the status did not change. */
    public static void set(OpsRequestStatus status, ConditionType type, boolean value, String reason, String message,
                           long generation, Clock clock) {
        set(status, type.value(), value, reason, message, generation, clock);
    }

    /** {@link #set(OpsRequestStatus, ConditionType, boolean, String, String, long, Clock)} for a type as spelt on the wire. */
    public static void set(OpsRequestStatus status, String type, boolean value, String reason, String message,
                           long generation, Clock clock) {
        Condition c = Conditions.next(Conditions.find(status.getConditions(), type), type, value, reason, message, generation, clock);
        status.setConditions(Conditions.upsert(status.getConditions(), c));
    }

    /**
     * Sets a per-pod condition ({@code EvictPod--px-1}), then drops the oldest per-pod conditions beyond
     * {@link #MAX_POD_CONDITIONS}: first those that are not failures, then failures. Conditions are kept in the
     * order they were last written ({@link Conditions#upsert} moves a rewritten one to the end), so "oldest" is the
     * pod the request left longest ago.
     */
    public static void setForPod(OpsRequestStatus status, PodConditionType type, String pod, boolean value, String reason,
                                 String message, long generation, Clock clock) {
        set(status, type.of(pod), value, reason, message, generation, clock);
        status.setConditions(boundPodConditions(status.getConditions(), MAX_POD_CONDITIONS));
    }

    /** {@code conditions} with at most {@code max} per-pod ones, the oldest non-failures dropped first. */
    static List<Condition> boundPodConditions(List<Condition> conditions, int max) {
        List<Condition> result = new ArrayList<>(conditions);
        long perPod = result.stream().filter(c -> PodConditionType.isPerPod(c.getType())).count();
        for (; perPod > max; perPod--) {
            Condition drop = result.stream().filter(c -> PodConditionType.isPerPod(c.getType()) && !failure(c)).findFirst()
                    .orElseGet(() -> result.stream().filter(c -> PodConditionType.isPerPod(c.getType())).findFirst().orElseThrow());
            result.remove(drop);
        }
        return result;
    }

    /**
     * The status as the API accepts it, the net under the bounds above: every reason and message within its length,
     * and at most {@link OpsRequestStatus#MAX_CONDITIONS} conditions (the oldest per-pod ones dropped first, then the
     * oldest others). Changes {@code status} in place; whether anything had to change.
     */
    public static boolean fit(OpsRequestStatus status) {
        List<Condition> conditions = status.getConditions();
        if (conditions == null) {
            return false;
        }
        boolean changed = false;
        List<Condition> fitted = new ArrayList<>(conditions.size());
        for (Condition c : conditions) {
            Condition f = fit(c);
            changed |= f != c;
            fitted.add(f);
        }
        if (fitted.size() > OpsRequestStatus.MAX_CONDITIONS) {
            fitted = boundPodConditions(fitted, Math.max(0, OpsRequestStatus.MAX_CONDITIONS
                    - (int) fitted.stream().filter(c -> !PodConditionType.isPerPod(c.getType())).count()));
            changed = true;
        }
        if (fitted.size() > OpsRequestStatus.MAX_CONDITIONS) {
            fitted = new ArrayList<>(fitted.subList(fitted.size() - OpsRequestStatus.MAX_CONDITIONS, fitted.size()));
        }
        if (changed) {
            status.setConditions(fitted);
        }
        return changed;
    }

    /** {@code c}, or a copy with its reason and message cut to the API's bounds. */
    static Condition fit(Condition c) {
        String reason = Conditions.cut(c.getReason(), Condition.MAX_REASON);
        String message = Conditions.cut(c.getMessage(), Condition.MAX_MESSAGE);
        if (reason == c.getReason() && message == c.getMessage()) {
            return c;
        }
        Condition copy = new Condition(c.getType(), c.getStatus(), reason, message);
        copy.setObservedGeneration(c.getObservedGeneration());
        copy.setLastTransitionTime(c.getLastTransitionTime());
        copy.setSeverity(c.getSeverity());
        return copy;
    }

    private static boolean failure(Condition c) {
        return c.getReason() != null && c.getReason().endsWith("Failed");
    }
}
