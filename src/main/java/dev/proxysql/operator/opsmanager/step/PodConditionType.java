package dev.proxysql.operator.opsmanager.step;

/**
 * The per-pod condition types of an ops request, named as KubeDB names them: {@code <type>--<pod>}, e.g.
 * {@code EvictPod--px-1}.
 */
public enum PodConditionType {
    EVICT_POD("EvictPod"),
    CHECK_POD_READY("CheckPodReady"),
    RECONFIGURE_POD("ReconfigurePod"),
    RELOAD_TLS("ReloadTLS"),
    ROTATE_AUTH_POD("RotateAuthPod"),
    ADD_MEMBER("AddMember"),
    REMOVE_MEMBER("RemoveMember");

    private final String value;

    PodConditionType(String value) {
        this.value = value;
    }

    /** The condition type for {@code pod}: {@code EvictPod--px-1}. */
    public String of(String pod) {
        return value + "--" + pod;
    }

    @Override
    public String toString() {
        return value;
    }
}
