package dev.proxysql.operator.opsmanager.rolling;

import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import java.util.Collection;
import java.util.List;

/**
 * A rollback is a roll to the previous template: once the previous pod template is back in the StatefulSet, the
 * controller reuses the old ControllerRevision (same hash), so the pods never moved are already on the target and
 * are not listed; the moved ones, and a half-made replacement that is not Ready, are replaced back by the same
 * engine, with the same one-at-a-time, exactly-once and availability rules. A half-made replacement comes first
 * because it is not Ready.
 */
public final class RollbackPlan {
    private RollbackPlan() {
    }

    /**
     * @param pods     the pods that exist now
     * @param previous the StatefulSet's updateRevision after the previous template was put back, and the images it
     *                 had ({@code status.progress.previousImages})
     * @return the pods to replace back, each with a reason such as {@code rollback: image new -> old} (why the roll
     *         failed is recorded once, in {@code status.progress.failure})
     */
    public static List<PodProgress> plan(Collection<ObservedPod> pods, RollTarget previous) {
        return RollPlan.plan(pods, previous, "rollback");
    }
}
