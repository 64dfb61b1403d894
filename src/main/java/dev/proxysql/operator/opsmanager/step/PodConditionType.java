package dev.proxysql.operator.opsmanager.step;

/**
 * The per-pod condition types of an ops request, named as KubeDB names them: {@code <type>--<pod>}, e.g.
 * {@code EvictPod--px-1}. A request keeps only the most recent of them ({@link OpsConditions#MAX_POD_CONDITIONS}):
 * the API takes 64 conditions, and a ProxySQL may have 50 pods.
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

    /** Whether {@code conditionType} is a per-pod condition: one of these types, then {@code --}, then a pod name. */
    public static boolean isPerPod(String conditionType) {
        int sep = conditionType == null ? -1 : conditionType.indexOf("--");
        if (sep <= 0 || sep + 2 == conditionType.length()) {
            return false;
        }
        String prefix = conditionType.substring(0, sep);
        for (PodConditionType t : values()) {
            if (t.value.equals(prefix)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return value;
    }
}
