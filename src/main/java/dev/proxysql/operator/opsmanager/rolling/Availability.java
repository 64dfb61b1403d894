package dev.proxysql.operator.opsmanager.rolling;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Which members of the set (ordinals 0..replicas-1) do not serve, apart from the pod about to be taken down. */
final class Availability {
    private Availability() {
    }

    /**
     * The other members that are missing, not Ready or terminating, in ordinal order, for messages. A missing
     * member is named after the pod's own name (same StatefulSet prefix).
     */
    static List<String> othersNotServing(ObservedPod pod, Collection<ObservedPod> observed, int replicas) {
        Map<Integer, ObservedPod> byOrdinal = new TreeMap<>();
        for (ObservedPod other : observed) {
            if (other == null || other.ordinal() < 0 || other.ordinal() >= replicas) {
                continue;
            }
            // Two objects for one ordinal (a stale observation): the member serves if either does.
            byOrdinal.merge(other.ordinal(), other, (a, b) -> a.serving() ? a : b);
        }
        List<String> notServing = new ArrayList<>();
        for (int ordinal = 0; ordinal < replicas; ordinal++) {
            if (ordinal == pod.ordinal()) {
                continue;
            }
            ObservedPod member = byOrdinal.get(ordinal);
            if (member == null) {
                notServing.add(nameOf(pod, ordinal) + " (missing)");
            } else if (member.terminating()) {
                notServing.add(member.name() + " (terminating)");
            } else if (!member.ready()) {
                notServing.add(member.name() + " (not Ready)");
            }
        }
        return notServing;
    }

    private static String nameOf(ObservedPod sibling, int ordinal) {
        String suffix = "-" + sibling.ordinal();
        String name = sibling.name();
        if (name != null && name.endsWith(suffix)) {
            return name.substring(0, name.length() - suffix.length()) + "-" + ordinal;
        }
        return "ordinal " + ordinal;
    }
}
