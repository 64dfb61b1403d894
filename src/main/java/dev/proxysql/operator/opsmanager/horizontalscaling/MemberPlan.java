package dev.proxysql.operator.opsmanager.horizontalscaling;

import dev.proxysql.operator.api.ops.v1alpha1.PodProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The pods a HorizontalScaling adds or removes, one entry each in {@code status.progress.pods}, in the order they are
 * handled: scale-up adds the next ordinal, scale-down removes the highest first (as a StatefulSet does). Each entry
 * says what it does ({@code reason}: {@value #ADD} or {@value #REMOVE}), so the member count it leads to follows from
 * the pod's ordinal alone: adding pod k makes k+1 members, removing it leaves k. A rollback is a plan of its own: the
 * entries already touched, in reverse order, each undone.
 *
 * <p>States: {@value #PENDING} (not touched), {@value #JOINING} (a pod being added: membership, config Secret and
 * StatefulSet written, waiting for it to be Ready and agree with its peers), {@value #LEAVING} (a pod being removed:
 * dropped from every other member's table, draining its clients), {@value #DELETING} (config Secret and StatefulSet
 * written, waiting for it to be gone and the others to agree), {@value #DONE}.
 */
public final class MemberPlan {
    public static final String ADD = "add member";
    public static final String REMOVE = "remove member";
    public static final String ROLLBACK = "rollback: ";
    public static final String PENDING = "Pending";
    public static final String JOINING = "Joining";
    public static final String LEAVING = "Leaving";
    public static final String DELETING = "Deleting";
    public static final String DONE = "Done";

    private MemberPlan() {
    }

    /** The entries that move {@code statefulSet} from {@code from} members to {@code to}. */
    public static List<PodProgress> plan(String statefulSet, int from, int to) {
        List<PodProgress> pods = new ArrayList<>();
        for (int k = from; k < to; k++) {
            pods.add(entry(statefulSet + "-" + k, ADD));
        }
        for (int k = from - 1; k >= to; k--) {
            pods.add(entry(statefulSet + "-" + k, REMOVE));
        }
        return pods;
    }

    /**
     * The rollback of a forward plan: every entry that was touched (not {@value #PENDING}), last first, doing the
     * opposite. An entry stopped half-way is undone as well: adding pod k back, or removing it, is safe to repeat.
     */
    public static List<PodProgress> rollback(List<PodProgress> forward) {
        List<PodProgress> back = new ArrayList<>();
        for (int i = forward.size() - 1; i >= 0; i--) {
            PodProgress e = forward.get(i);
            if (!PENDING.equals(e.getState())) {
                back.add(entry(e.getName(), ROLLBACK + (adds(e) ? REMOVE : ADD)));
            }
        }
        return back;
    }

    /** Whether {@code pods} is already a rollback plan (an empty one included: nothing was touched). */
    public static boolean isRollback(List<PodProgress> pods) {
        return pods == null || pods.stream().allMatch(MemberPlan::rollsBack);
    }

    /** Whether {@code e} is an entry of a rollback plan (it undoes a forward entry). */
    public static boolean rollsBack(PodProgress e) {
        return e.getReason() != null && e.getReason().startsWith(ROLLBACK);
    }

    public static boolean adds(PodProgress e) {
        return e.getReason() != null && e.getReason().endsWith(ADD);
    }

    public static int ordinal(String pod) {
        return Integer.parseInt(pod.substring(pod.lastIndexOf('-') + 1));
    }

    /** The member count once {@code e} is done: adding pod k makes k+1, removing it leaves k. */
    public static int members(PodProgress e) {
        return adds(e) ? ordinal(e.getName()) + 1 : ordinal(e.getName());
    }

    /** The first entry not done yet. */
    public static Optional<PodProgress> next(List<PodProgress> pods) {
        return pods.stream().filter(e -> !DONE.equals(e.getState())).findFirst();
    }

    /** The final message of a failed HorizontalScaling, once resumed. */
    public static String failureOutcome(String failure, boolean rolledBack, String rollbackFailure, Integer from) {
        return failure + (rollbackFailure != null ? "; rollback also failed: " + rollbackFailure + "; the ProxySQL was resumed anyway"
                : !rolledBack ? "; ProxySQL resumed"
                : "; rolled back: " + from + " members again, each listing exactly them in proxysql_servers, spec.replicas unchanged,"
                + " ProxySQL resumed");
    }

    private static PodProgress entry(String name, String reason) {
        PodProgress e = new PodProgress(name, PENDING);
        e.setReason(reason);
        return e;
    }
}
