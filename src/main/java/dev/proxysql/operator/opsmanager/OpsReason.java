package dev.proxysql.operator.opsmanager;

/**
 * The ops manager's vocabulary for condition reasons and Event reasons, as KubeDB spells them where KubeDB has one.
 * One enum, so that a reason a test or an alert matches on cannot drift from the one the code writes.
 */
public enum OpsReason {
    // Queue
    WAITING_FOR_OPS_REQUEST("WaitingForOpsRequest"),
    WAITING_FOR_DATABASE_READY("WaitingForDatabaseReady"),
    STARTED("Started"),
    STARTING("Starting"),
    RUNNING("Running"),
    NOTHING_TO_DO("NothingToDo"),
    // Pause and resume
    PAUSE_DATABASE("PauseDatabase"),
    DATABASE_PAUSE_SUCCEEDED("DatabasePauseSucceeded"),
    RESUME_DATABASE("ResumeDatabase"),
    DATABASE_RESUME_SUCCEEDED("DatabaseResumeSucceeded"),
    RESUMED_ORPHANED_PAUSE("ResumedOrphanedPause"),
    // The pod template and the pods
    UPDATE_STATEFUL_SETS_SUCCEEDED("UpdateStatefulSetsSucceeded"),
    EVICT_POD("EvictPod"),
    EVICT_POD_FOR_ROLLBACK("EvictPodForRollback"),
    RESTART_POD("RestartPod"),
    EVICTION_REFUSED("EvictionRefused"),
    POD_READY("PodReady"),
    CHECK_PENDING("CheckPending"),
    CHECK_FAILED("CheckFailed"),
    RESTART_PODS_SUCCEEDED("RestartPodsSucceeded"),
    UPDATE_DATABASE("UpdateDatabase"),
    RECONFIGURE_POD("ReconfigurePod"),
    /** RotateAuth: the new pair recorded in its Secret (KubeDB's UpdateCredential). */
    UPDATE_CREDENTIAL("UpdateCredential"),
    // Rollback
    ROLLBACK("Rollback"),
    ROLLBACK_STARTED("RollbackStarted"),
    ROLLBACK_SUCCEEDED("RollbackSucceeded"),
    ROLLBACK_FAILED("RollbackFailed"),
    HORIZONTAL_SCALE_UP("HorizontalScaleUp"),
    HORIZONTAL_SCALE_DOWN("HorizontalScaleDown"),
    // Outcome
    SUCCESSFUL("Successful"),
    FAILED("Failed");

    private final String value;

    OpsReason(String value) {
        this.value = value;
    }

    /** As written in conditions and Events. */
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }
}
