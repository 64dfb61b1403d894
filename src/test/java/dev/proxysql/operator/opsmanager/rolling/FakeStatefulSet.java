package dev.proxysql.operator.opsmanager.rolling;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A deterministic StatefulSet with updateStrategy OnDelete, its controller and the Eviction API, in a few lines:
 * an evicted pod terminates, is gone after {@code terminateTicks}, is recreated from the current template after
 * {@code recreateTicks} and becomes Ready {@code readyTicks} later (never, for a revision in
 * {@link #neverReadyRevisions}). Time moves only in {@link #tick()}.
 */
final class FakeStatefulSet {
    enum Eviction { EVICTED, ALREADY_TERMINATING, NOT_FOUND, UID_CONFLICT, TOO_MANY_REQUESTS }

    static final class Pod {
        final String name;
        final int ordinal;
        final String uid;
        final String revision;
        final Map<String, String> images;
        boolean ready;
        boolean terminating;
        boolean neverReady;
        int ticksLeft;

        Pod(int ordinal, String uid, String revision, Map<String, String> images) {
            this.name = "px-" + ordinal;
            this.ordinal = ordinal;
            this.uid = uid;
            this.revision = revision;
            this.images = images;
        }

    }

    /** Pod {@code ordinal}, whatever its UID, is not Ready from tick {@code from} until tick {@code until}. */
    record Disruption(int ordinal, int from, int until) {
    }

    final int replicas;
    final Set<String> neverReadyRevisions = new HashSet<>();
    /** UIDs the Eviction API actually evicted, in order. */
    final List<String> evicted = new ArrayList<>();
    int terminateTicks = 1;
    int recreateTicks = 1;
    int readyTicks = 2;
    boolean refuseEvictions;
    private String revision;
    private Map<String, String> images;
    private final Map<Integer, Pod> pods = new TreeMap<>();
    private final Map<Integer, Integer> missingFor = new HashMap<>();
    private final List<Disruption> disruptions = new ArrayList<>();
    private int uids;
    private int ticks;

    FakeStatefulSet(int replicas, String revision, Map<String, String> images) {
        this.replicas = replicas;
        this.revision = revision;
        this.images = images;
        for (int i = 0; i < replicas; i++) {
            Pod p = new Pod(i, "orig-" + i, revision, images);
            p.ready = true;
            pods.put(i, p);
        }
    }

    /** The pod runs but never becomes Ready (until it is replaced). */
    void breakPod(int ordinal) {
        pods.get(ordinal).ready = false;
        pods.get(ordinal).neverReady = true;
    }

    /** Something outside the roll (a node problem, a liveness blip) makes a pod not Ready for a while. */
    void disrupt(int ordinal, int fromTick, int untilTick) {
        disruptions.add(new Disruption(ordinal, fromTick, untilTick));
    }

    void changeTemplate(String newRevision, Map<String, String> newImages) {
        this.revision = newRevision;
        this.images = newImages;
    }

    Eviction evict(String name, String uid) {
        Optional<Pod> found = pods.values().stream().filter(p -> p.name.equals(name)).findFirst();
        if (found.isEmpty()) {
            return Eviction.NOT_FOUND;
        }
        Pod pod = found.get();
        if (!pod.uid.equals(uid)) {
            return Eviction.UID_CONFLICT;
        }
        if (pod.terminating) {
            return Eviction.ALREADY_TERMINATING;
        }
        if (refuseEvictions) {
            return Eviction.TOO_MANY_REQUESTS;
        }
        pod.terminating = true;
        pod.ready = false;
        pod.ticksLeft = terminateTicks;
        evicted.add(uid);
        return Eviction.EVICTED;
    }

    void tick() {
        ticks++;
        for (Pod pod : new ArrayList<>(pods.values())) {
            if (pod.terminating) {
                if (--pod.ticksLeft <= 0) {
                    pods.remove(pod.ordinal);
                }
            } else if (!pod.ready && !pod.neverReady && --pod.ticksLeft <= 0) {
                pod.ready = true;
            }
        }
        for (int i = 0; i < replicas; i++) {
            if (pods.containsKey(i)) {
                continue;
            }
            if (missingFor.merge(i, 1, Integer::sum) >= recreateTicks) {
                missingFor.remove(i);
                Pod pod = new Pod(i, "uid-" + (++uids), revision, images);
                pod.neverReady = neverReadyRevisions.contains(revision);
                pod.ticksLeft = readyTicks;
                pods.put(i, pod);
            }
        }
    }

    Map<String, ObservedPod> observe() {
        Map<String, ObservedPod> observed = new LinkedHashMap<>();
        pods.values().forEach(p -> observed.put(p.name, observed(p)));
        return observed;
    }

    ObservedPod observed(Pod p) {
        return new ObservedPod(p.name, p.ordinal, p.uid, p.terminating, ready(p), p.revision, p.images);
    }

    private boolean ready(Pod p) {
        return p.ready && disruptions.stream().noneMatch(d -> d.ordinal() == p.ordinal && ticks >= d.from() && ticks < d.until());
    }

    Optional<Pod> pod(String name) {
        return pods.values().stream().filter(p -> p.name.equals(name)).findFirst();
    }

    /** Members (ordinal below replicas) that are missing, terminating or not Ready. */
    int notServing() {
        int count = 0;
        for (int i = 0; i < replicas; i++) {
            Pod p = pods.get(i);
            if (p == null || p.terminating || !ready(p)) {
                count++;
            }
        }
        return count;
    }
}
