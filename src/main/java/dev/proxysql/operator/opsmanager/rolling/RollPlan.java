package dev.proxysql.operator.opsmanager.rolling;

import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The pods a roll must replace, in the order it replaces them. Computed once, when the step starts, and persisted:
 * the order is then fixed for the whole roll, even if readiness changes later.
 */
public final class RollPlan {
    /**
     * Not-Ready pods first: replacing a pod that serves nothing costs no availability and may be what heals the
     * set (Strimzi's KafkaRoller does the same). Then by ordinal, the order people expect from a StatefulSet.
     */
    static final Comparator<ObservedPod> ORDER = Comparator
            .comparing(ObservedPod::serving)
            .thenComparingInt(ObservedPod::ordinal)
            .thenComparing(ObservedPod::name, Comparator.nullsLast(Comparator.naturalOrder()));

    private RollPlan() {
    }

    /**
     * @param pods   the pods that exist now (a missing pod is created by the StatefulSet from the new template, so
     *               it needs no replacement)
     * @param target what every pod must run
     * @param reason why the roll happens (e.g. {@code UpdateVersion}); prefixed to each pod's reason, may be blank
     * @return one Pending entry per pod that is not on the target (one per name); pods already on it are not listed
     */
    public static List<PodProgress> plan(Collection<ObservedPod> pods, RollTarget target, String reason) {
        List<PodProgress> plan = new ArrayList<>();
        Set<String> listed = new HashSet<>();
        if (pods == null || target == null) {
            return plan;
        }
        pods.stream()
                .filter(Objects::nonNull)
                .filter(p -> p.name() != null)
                .filter(p -> !target.matches(p))
                .sorted(ORDER)
                .filter(p -> listed.add(p.name()))
                .forEach(p -> {
                    PodProgress entry = new PodProgress(p.name(), PodState.PENDING.value());
                    String difference = target.describeDifference(p);
                    entry.setReason(reason == null || reason.isBlank() ? difference : reason + ": " + difference);
                    plan.add(entry);
                });
        return plan;
    }
}
