package dev.proxysql.operator.opsmanager.step;

/**
 * The condition types an ops request carries, as KubeDB's ops manager spells them on the wire
 * ({@code apis/ops/v1alpha1/constant.go} of kubedb/apimachinery) where it has one. Per-pod conditions are
 * {@link PodConditionType}. One enum, so that a type a test, a dashboard or KubeDB's tooling matches on cannot drift
 * from the one the code writes.
 */
public enum ConditionType {
    // Shared by every type
    RUNNING("Running"),
    QUEUED("Queued"),
    PAUSE_DATABASE("PauseDatabase"),
    UPDATE_STATEFUL_SETS("UpdateStatefulSets"),
    RESTART_PODS("RestartPods"),
    UPDATE_DATABASE("UpdateDatabase"),
    ROLLBACK("Rollback"),
    RESUME_DATABASE("ResumeDatabase"),
    SUCCESSFUL("Successful"),
    FAILED("Failed"),
    // Each type's summary: True with <type>Succeeded, False with <type>Failed
    VERSION_UPDATE("VersionUpdate"),
    RESTART("Restart"),
    VERTICAL_SCALE("VerticalScale"),
    HORIZONTAL_SCALE("HorizontalScale"),
    RECONFIGURE("Reconfigure"),
    RECONFIGURE_TLS("ReconfigureTLS"),
    ROTATE_AUTH("RotateAuth"),
    // HorizontalScaling
    HORIZONTAL_SCALE_UP("HorizontalScaleUp"),
    HORIZONTAL_SCALE_DOWN("HorizontalScaleDown"),
    // ReconfigureTLS
    ADD_TLS("AddTLS"),
    REMOVE_TLS("RemoveTLS"),
    ISSUING("Issuing"),
    ISSUE_CERTIFICATES_SUCCEEDED("IssueCertificatesSucceeded"),
    CERTIFICATE_SYNCED("CertificateSynced"),
    RELOAD_TLS("ReloadTLS"),
    // RotateAuth: the new pair is in its Secret, the previous one under the .prev keys
    UPDATE_CREDENTIAL("UpdateCredential");

    private final String value;

    ConditionType(String value) {
        this.value = value;
    }

    /** As written in {@code status.conditions[].type}. */
    public String value() {
        return value;
    }

    /** The reason of a type's summary once it succeeded: {@code VersionUpdateSucceeded}. */
    public String succeeded() {
        return value + "Succeeded";
    }

    /** The reason of a type's summary once it failed: {@code VersionUpdateFailed}. */
    public String failed() {
        return value + "Failed";
    }

    @Override
    public String toString() {
        return value;
    }
}
