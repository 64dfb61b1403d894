package dev.proxysql.operator.topology;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels KubeDB puts on everything it creates for a ProxySQL ("offshoots"). Selectors use only these, so a
 * StatefulSet or Service made by KubeDB and one made by this operator select the same pods.
 */
public final class KubeDbLabels {
    public static final String NAME = "app.kubernetes.io/name";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String COMPONENT = "app.kubernetes.io/component";
    public static final String PROXYSQL_NAME = "proxysql.kubedb.com/name";
    public static final String ROLE = "kubedb.com/role";

    public static final String NAME_VALUE = "proxysqls.kubedb.com";
    public static final String MANAGED_BY_VALUE = "kubedb.com";
    /** Label selector matching every offshoot of every ProxySQL. */
    public static final String ALL_OFFSHOOTS = NAME + "=" + NAME_VALUE + "," + MANAGED_BY + "=" + MANAGED_BY_VALUE;

    private KubeDbLabels() {
    }

    /** Labels that select the pods (and every other offshoot) of one ProxySQL. */
    public static Map<String, String> selector(String proxysqlName) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, NAME_VALUE);
        labels.put(INSTANCE, proxysqlName);
        labels.put(MANAGED_BY, MANAGED_BY_VALUE);
        return labels;
    }

    /** Selector labels plus the descriptive ones, and the user's extra labels (never overriding ours). */
    public static Map<String, String> offshoot(String proxysqlName, Map<String, String> extra) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (extra != null) {
            extra.forEach((k, v) -> {
                if (!k.contains("kubedb.com")) {
                    labels.put(k, v);
                }
            });
        }
        labels.putAll(selector(proxysqlName));
        labels.put(COMPONENT, "database");
        labels.put(PROXYSQL_NAME, proxysqlName);
        return labels;
    }
}
