package dev.proxysql.operator.opsmanager.step;

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
    // Reconfigure
    RECONFIGURE_STARTED("ReconfigureStarted"),
    RECONFIGURE_PODS_SUCCEEDED("ReconfigurePodsSucceeded"),
    RECONFIGURE_POD_PENDING("ReconfigurePodPending"),
    RECONFIGURE_POD_SUCCEEDED("ReconfigurePodSucceeded"),
    RECONFIGURE_POD_FAILED("ReconfigurePodFailed"),
    RECONFIGURE_POD_ROLLED_BACK("ReconfigurePodRolledBack"),
    // ReconfigureTLS (KubeDB's names)
    ADD_TLS("AddTLS"),
    REMOVE_TLS("RemoveTLS"),
    ISSUING("Issuing"),
    ISSUE_CERTIFICATES_SUCCEEDED("IssueCertificatesSucceeded"),
    ISSUE_CERTIFICATES_FAILED("IssueCertificatesFailed"),
    CERTIFICATE_SYNCED("CertificateSynced"),
    RELOAD_POD_SUCCEEDED("ReloadPodSucceeded"),
    RELOAD_POD_FAILED("ReloadPodFailed"),
    RELOAD_PODS_SUCCEEDED("ReloadPodsSucceeded"),
    // RotateAuth
    ROTATE_AUTH_POD("RotateAuthPod"),
    ROTATE_AUTH_POD_ROLLED_BACK("RotateAuthPodRolledBack"),
    ROTATE_AUTH_SUCCEEDED("RotateAuthSucceeded"),
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
