package dev.proxysql.bench;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;

/**
 * Records, with the driver's clock, when each pod of a namespace starts going away (deletionTimestamp or removal),
 * appears with a new UID and turns Ready. A rollout's time then splits into: lead-in (start to the first pod going
 * away), pod replacements (a pod going away to its replacement Ready), gaps (one replacement Ready to the next pod
 * going away: the controller's reaction time) and tail (last replacement Ready to done).
 */
final class PodTimeline implements AutoCloseable {
    enum Kind { GOING, READY }

    record Mark(long nanos, String pod, String uid, Kind kind, Map<String, String> labels) {
    }

    private final ConcurrentLinkedQueue<Mark> marks = new ConcurrentLinkedQueue<>();
    private final Map<String, Boolean> seenReady = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Boolean> seenGoing = new java.util.concurrent.ConcurrentHashMap<>();
    private final SharedIndexInformer<Pod> informer;

    PodTimeline(KubernetesClient client, String namespace) {
        informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                observe(pod, false);
            }

            @Override
            public void onUpdate(Pod oldPod, Pod pod) {
                observe(pod, false);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                observe(pod, true);
            }
        });
    }

    private void observe(Pod pod, boolean deleted) {
        long now = System.nanoTime();
        String uid = pod.getMetadata().getUid();
        if ((deleted || pod.getMetadata().getDeletionTimestamp() != null) && seenGoing.putIfAbsent(uid, true) == null) {
            marks.add(new Mark(now, pod.getMetadata().getName(), uid, Kind.GOING, pod.getMetadata().getLabels()));
        }
        boolean ready = !deleted && pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
                .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        if (ready && seenReady.putIfAbsent(uid, true) == null) {
            marks.add(new Mark(now, pod.getMetadata().getName(), uid, Kind.READY, pod.getMetadata().getLabels()));
        }
    }

    /** Where the time of one rollout went, from the marks of the pods {@code selected} between start and end. */
    record Breakdown(double leadIn, List<Double> replacements, List<Double> gaps, double tail, int podsReplaced) {
        String describe() {
            return String.format(Locale.ROOT, "lead-in %.1f s, %d pods replaced in %.1f s (%.2f s each), gaps %.1f s (%.2f s each), tail %.1f s",
                    leadIn, podsReplaced, sum(replacements), avg(replacements), sum(gaps), avg(gaps), tail);
        }

        private static double sum(List<Double> l) {
            return l.stream().mapToDouble(Double::doubleValue).sum();
        }

        private static double avg(List<Double> l) {
            return l.isEmpty() ? 0 : sum(l) / l.size();
        }
    }

    Breakdown breakdown(Predicate<Map<String, String>> selected, long start, long end) {
        List<Mark> window = new ArrayList<>(marks.stream().filter(m -> m.nanos() >= start && m.nanos() <= end
                && m.labels() != null && selected.test(m.labels())).toList());
        window.sort(Comparator.comparingLong(Mark::nanos));
        // Pair each pod going away with the next Ready of a new UID of the same name.
        Map<String, Long> goingAt = new LinkedHashMap<>();
        Map<String, String> goingUid = new LinkedHashMap<>();
        List<long[]> pairs = new ArrayList<>();
        for (Mark m : window) {
            if (m.kind() == Kind.GOING && !goingAt.containsKey(m.pod())) {
                goingAt.put(m.pod(), m.nanos());
                goingUid.put(m.pod(), m.uid());
            } else if (m.kind() == Kind.READY && goingAt.containsKey(m.pod()) && !m.uid().equals(goingUid.get(m.pod()))) {
                pairs.add(new long[] {goingAt.remove(m.pod()), m.nanos()});
                goingUid.remove(m.pod());
            }
        }
        pairs.sort(Comparator.comparingLong(p -> p[0]));
        List<Double> replacements = new ArrayList<>();
        List<Double> gaps = new ArrayList<>();
        double leadIn = pairs.isEmpty() ? 0 : (pairs.get(0)[0] - start) / 1e9;
        for (int i = 0; i < pairs.size(); i++) {
            replacements.add((pairs.get(i)[1] - pairs.get(i)[0]) / 1e9);
            if (i > 0) {
                gaps.add((pairs.get(i)[0] - pairs.get(i - 1)[1]) / 1e9);
            }
        }
        double tail = pairs.isEmpty() ? (end - start) / 1e9 : (end - pairs.get(pairs.size() - 1)[1]) / 1e9;
        return new Breakdown(leadIn, replacements, gaps, tail, pairs.size());
    }

    boolean synced() {
        return informer.hasSynced();
    }

    @Override
    public void close() {
        informer.close();
    }
}
