package dev.proxysql.operator.opsmanager;

import dev.proxysql.operator.api.common.Condition;
import dev.proxysql.operator.api.ops.v1alpha1.OpsRequestStatus;
import dev.proxysql.operator.kube.Conditions;
import java.time.Clock;

/**
 * KubeDB's ops-request condition types and reasons, and how they are set on a request. Per-pod conditions are
 * named as KubeDB names them: {@code EvictPod--<pod>}, {@code CheckPodReady--<pod>}.
 */
public final class OpsConditions {
    public static final String RUNNING = "Running";
    public static final String QUEUED = "Queued";
    public static final String PAUSE_DATABASE = "PauseDatabase";
    public static final String UPDATE_STATEFUL_SETS = "UpdateStatefulSets";
    public static final String RESTART_PODS = "RestartPods";
    public static final String UPDATE_DATABASE = "UpdateDatabase";
    public static final String ROLLBACK = "Rollback";
    /** RotateAuth: the new pair is in its Secret, the previous one under the .prev keys (KubeDB's condition). */
    public static final String UPDATE_CREDENTIAL = "UpdateCredential";
    public static final String RESUME_DATABASE = "ResumeDatabase";
    public static final String SUCCESSFUL = "Successful";
    public static final String FAILED = "Failed";

    private OpsConditions() {
    }

    public static String evictPod(String pod) {
        return "EvictPod--" + pod;
    }

    public static String checkPodReady(String pod) {
        return "CheckPodReady--" + pod;
    }

    /** Sets (or replaces) a condition, keeping its lastTransitionTime when the status did not change. */
    public static void set(OpsRequestStatus status, String type, boolean value, String reason, String message,
                           long generation, Clock clock) {
        Condition c = Conditions.next(Conditions.find(status.getConditions(), type), type, value, reason, message, generation, clock);
        status.setConditions(Conditions.upsert(status.getConditions(), c));
    }
}
