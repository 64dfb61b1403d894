package dev.proxysql.operator.topology;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.kubedb.v1.ProxySQL;
import dev.proxysql.operator.kube.Conditions;

/**
 * How the ops manager keeps the provisioner out of a ProxySQL it is changing, in three conditions on the ProxySQL's
 * status (both controllers read them; each writes only its own):
 * <ol>
 *   <li>the ops manager sets {@link #PAUSED} (KubeDB's condition type) with reason {@link #BY_OPS_REQUEST};</li>
 *   <li>the provisioner, once it has seen it, sets {@link #PROVISIONER_PAUSED} and from then on writes no child object;</li>
 *   <li>the ops manager touches the StatefulSet only after that acknowledgement, so a provisioner reconcile that started
 *       before the pause cannot undo its first change; resuming removes {@link #PAUSED}.</li>
 * </ol>
 */
public final class PauseProtocol {
    /** KubeDB's condition type: the database is paused and its controller must not change it. */
    public static final String PAUSED = "Paused";
    /** The provisioner's acknowledgement of {@link #PAUSED}. */
    public static final String PROVISIONER_PAUSED = "ProvisionerPaused";
    /** The reason of every Paused condition the ops manager writes; a pause with another reason is someone else's. */
    public static final String BY_OPS_REQUEST = "PausedByOpsRequest";

    private PauseProtocol() {
    }

    public static boolean isPaused(ProxySQL p) {
        return p.getStatus() != null && Conditions.isTrue(p.getStatus().getConditions(), PAUSED);
    }

    /** Paused by an ops request (as opposed to by hand, or by another tool, which the ops manager leaves alone). */
    public static boolean isPausedByOpsRequest(ProxySQL p) {
        return p.getStatus() != null && Conditions.find(p.getStatus().getConditions(), PAUSED)
                .filter(c -> Condition.TRUE.equals(c.getStatus()) && BY_OPS_REQUEST.equals(c.getReason())).isPresent();
    }

    /** The provisioner has seen the pause and will write no child until it ends. */
    public static boolean isAcknowledged(ProxySQL p) {
        return p.getStatus() != null && Conditions.isTrue(p.getStatus().getConditions(), PROVISIONER_PAUSED);
    }
}
