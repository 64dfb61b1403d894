package dev.proxysql.operator.opsmanager.rolling;

import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Shared names and builders for the rolling tests. */
final class Fixtures {
    static final String OLD_IMAGE = "ghcr.io/kubedb/proxysql:2.6.3-debian";
    static final String NEW_IMAGE = "ghcr.io/kubedb/proxysql:2.7.3-debian";
    static final String OLD_REV = "px-5d8";
    static final String NEW_REV = "px-7c9";
    static final RollTarget TARGET = new RollTarget(NEW_REV, Map.of("proxysql", NEW_IMAGE));
    static final RollTarget PREVIOUS = new RollTarget(OLD_REV, Map.of("proxysql", OLD_IMAGE));
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration TIMEOUT = Duration.ofMinutes(5);
    static final RollSettings THREE = new RollSettings(3, TIMEOUT, 1);

    private Fixtures() {
    }

    /** A pod on the old revision. */
    static ObservedPod old(int ordinal, boolean ready) {
        return new ObservedPod("px-" + ordinal, ordinal, "old-" + ordinal, false, ready, OLD_REV, Map.of("proxysql", OLD_IMAGE));
    }

    /** A pod on the target revision with the given UID. */
    static ObservedPod fresh(int ordinal, String uid, boolean ready) {
        return new ObservedPod("px-" + ordinal, ordinal, uid, false, ready, NEW_REV,
                Map.of("proxysql", NEW_IMAGE, "exporter", "prom/exporter:1"));
    }

    static ObservedPod terminating(ObservedPod p) {
        return new ObservedPod(p.name(), p.ordinal(), p.uid(), true, false, p.revision(), p.images());
    }

    static Map<String, ObservedPod> pods(ObservedPod... pods) {
        Map<String, ObservedPod> map = new LinkedHashMap<>();
        for (ObservedPod p : pods) {
            map.put(p.name(), p);
        }
        return map;
    }

    static PodProgress pp(String name, PodState state) {
        PodProgress p = new PodProgress(name, state.value());
        p.setReason("image " + OLD_IMAGE + " -> " + NEW_IMAGE);
        return p;
    }

    static PodProgress evicting(String name, String uid, Instant startedAt) {
        PodProgress p = pp(name, PodState.EVICTING);
        p.setEvictedUid(uid);
        p.setStartedAt(startedAt.toString());
        return p;
    }

    static PodProgress verifying(String name, String evictedUid, Instant startedAt) {
        PodProgress p = evicting(name, evictedUid, startedAt);
        p.setState(PodState.VERIFYING.value());
        return p;
    }

    static List<PodProgress> list(PodProgress... entries) {
        return new ArrayList<>(Arrays.asList(entries));
    }

    /** PodProgress has no equals: compare through this value. */
    record Snapshot(String name, String state, String evictedUid, String startedAt, Integer retries, String reason) {
    }

    static List<Snapshot> snap(List<PodProgress> progress) {
        return progress.stream().map(p -> new Snapshot(p.getName(), p.getState(), p.getEvictedUid(), p.getStartedAt(),
                p.getRetries(), p.getReason())).toList();
    }
}
